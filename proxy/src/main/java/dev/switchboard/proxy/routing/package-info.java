/**
 * Routing: which target a request goes to, and what happens when it fails. The runtime state of
 * backends (circuit breaker, limits, latency, probe results) survives config reloads when a
 * backend is unchanged; strategies are pure orderings behind {@link
 * dev.switchboard.proxy.routing.RoutingStrategy}; {@link dev.switchboard.proxy.routing.ChatRouter}
 * runs the retry and failover loop and knows nothing of HTTP servers or provider formats.
 */
package dev.switchboard.proxy.routing;
