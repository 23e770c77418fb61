/**
 * State the proxy keeps between requests: stored responses of the Responses surface, behind
 * {@link dev.switchboard.proxy.state.ResponseStore}, with a bounded in-memory implementation.
 */
package dev.switchboard.proxy.state;
