/**
 * Background probing: each backend's model listing is fetched on its health-check interval
 * (and at once on demand), feeding reachability, latency, last error and discovered models to
 * /admin/status, where the operator collects them into resource status.
 */
package dev.switchboard.proxy.probe;
