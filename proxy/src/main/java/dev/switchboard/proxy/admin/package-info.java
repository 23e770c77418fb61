/**
 * The admin port: liveness and readiness for Kubernetes probes, Prometheus metrics, and the
 * bearer-token protected API the operator uses to push configs, read connectivity and ask for
 * an immediate probe.
 */
package dev.switchboard.proxy.admin;
