package dev.switchboard.config;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One accepted ClientKey: who a presented key is, and what it may do. Only the key's hash travels.
 *
 * @param id {@code namespace/name}, the {@code client} label of metrics and the access log
 * @param keyHash {@code sha256:<hex>} of the key (see {@link ClientKeys#hash})
 * @param models client-facing names it may call; empty means every model
 * @param limits fleet-wide limits; 0 means unlimited
 * @param budget the spending limit per period, when there is one
 * @param expiresAt when the key stops working, when it does
 */
public record ClientConfig(String id, String namespace, String name, String keyHash, List<String> models, LimitConfig limits,
    Optional<BudgetConfig> budget, boolean disabled, Optional<Instant> expiresAt, List<String> allowedOrigins) {
  public ClientConfig {
    models = List.copyOf(models);
    allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
  }

  /** Whether this client may call a route named (by model or alias) in {@code names}. */
  public boolean mayCall(List<String> names) {
    return models.isEmpty() || names.stream().anyMatch(models::contains);
  }

  public boolean expired(Instant now) {
    return expiresAt.map(now::isAfter).orElse(false);
  }
}
