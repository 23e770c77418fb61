/**
 * What the proxy tells operators: Prometheus metrics (bounded labels: route and backend ids from
 * the config, never client input) and one structured access-log line per request, written off
 * the request thread.
 */
package dev.switchboard.proxy.observe;
