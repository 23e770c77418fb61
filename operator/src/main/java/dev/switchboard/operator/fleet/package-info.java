/**
 * The proxy pods: found by label selector, pushed the current config (concurrently, each with a
 * bounded timeout, retried with backoff without holding up the others), and polled for the
 * connectivity they see.
 */
package dev.switchboard.operator.fleet;
