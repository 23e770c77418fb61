/**
 * The process-wide memory budget: every byte a peer can make the proxy hold (bodies, answers,
 * stream buffers) is reserved here as it arrives, so limits are enforced by construction.
 */
package dev.switchboard.proxy.memory;
