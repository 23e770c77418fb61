/**
 * Who a request comes from and what it may do: the {@link dev.switchboard.proxy.clients.ClientIdentity}
 * a presented key resolves to (a ClientKey, a key without limits, or nobody on an open gateway),
 * and the models it may call. Limits and budgets on those identities live in the quota package.
 */
package dev.switchboard.proxy.clients;
