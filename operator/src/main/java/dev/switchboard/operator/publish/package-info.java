/**
 * From resources to a served config: informers on ChatBackends, ModelRoutes and only the Secrets
 * they reference; a debounced compile; the snapshot Secret proxies start from; and the handover
 * of each new config to the proxy fleet and of each compilation to the status hub.
 */
package dev.switchboard.operator.publish;
