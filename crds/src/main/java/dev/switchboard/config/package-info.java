/**
 * The {@link dev.switchboard.config.RoutingConfig}: the compiled, validated, immutable routing
 * table that the operator pushes and the proxy serves. Everything in it is resolved (defaults
 * applied, secrets looked up, upstream model names chosen), so the proxy needs no Kubernetes
 * knowledge. Its JSON form is stable and its version is a hash of that form.
 */
package dev.switchboard.config;
