/** The operator's HTTP port: liveness, readiness and Prometheus metrics. */
package dev.switchboard.operator.http;
