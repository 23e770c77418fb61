/**
 * Limits and budgets per client, for the whole fleet. {@link dev.switchboard.proxy.quota.ClientQuotas}
 * admits a request (requests and tokens per minute, requests in flight, the period's budget) and
 * settles it from the real usage when the answer ends. The counters live in a
 * {@link dev.switchboard.proxy.quota.QuotaStore}: a shared Redis, exact across replicas
 * ({@link dev.switchboard.proxy.quota.RedisQuotaStore}, atomic Lua scripts on the server's clock), or
 * this process ({@link dev.switchboard.proxy.quota.LocalQuotaStore}, each proxy enforcing its share
 * of the limit). Rate limits are GCRA ({@link dev.switchboard.proxy.quota.Gcra}): a sliding window
 * in one number, so a burst across a minute boundary never passes twice the limit.
 * {@link dev.switchboard.proxy.quota.BackendQuotas} holds ChatBackends' limits in the same store,
 * and {@link dev.switchboard.proxy.quota.UsageEstimate} is what is counted when a provider reports
 * no usage.
 */
package dev.switchboard.proxy.quota;
