package dev.switchboard.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.ClientConfig;
import dev.switchboard.proxy.quota.ClientQuotas;
import dev.switchboard.proxy.quota.QuotaStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * ClientKey usage on the admin port: each client's current period in {@code GET /admin/status},
 * and the operator's sums of the fleet's usage in {@code PUT /admin/usage} (budgets without Redis).
 */
final class ClientUsageJson {
  private ClientUsageJson() {}

  static void write(ObjectNode status, ClientQuotas quotas, List<ClientConfig> clients) {
    ObjectNode store = status.putObject("quotaStore");
    store.put("shared", quotas.store().shared()).put("degraded", quotas.degraded()).put("errors", quotas.storeErrors());
    ArrayNode out = status.putArray("clients");
    for (ClientQuotas.Usage u : quotas.usage(clients)) {
      ObjectNode c = out.addObject().put("id", u.client()).put("counted", u.counted());
      spent(c.putObject("usage"), u.periodStart(), u.spent());
      c.put("budgetSpentUsd", u.budgetSpent().costUsd());
      clients.stream().filter(k -> k.id().equals(u.client())).findFirst().ifPresent(k -> {
        k.budget().ifPresent(b -> c.putObject("budget").put("usd", b.usd()).put("period", b.period().wireName()));
        ObjectNode limits = c.putObject("limits");
        if (k.limits().requestsPerMinute() > 0) {
          limits.put("requestsPerMinute", k.limits().requestsPerMinute());
        }
        if (k.limits().tokensPerMinute() > 0) {
          limits.put("tokensPerMinute", k.limits().tokensPerMinute());
        }
        if (k.limits().maxConcurrent() > 0) {
          limits.put("maxConcurrent", k.limits().maxConcurrent());
        }
      });
    }
  }

  private static void spent(ObjectNode node, Instant periodStart, QuotaStore.Spent s) {
    node.put("periodStart", periodStart.toString()).put("requests", s.requests()).put("promptTokens", s.promptTokens())
        .put("completionTokens", s.completionTokens()).put("costUsd", s.costUsd());
    if (s.lastUsedMillis() > 0) {
      node.put("lastUsed", Instant.ofEpochMilli(s.lastUsedMillis()).toString());
    }
  }

  /**
   * Reads {@code {"clients": [{"id", "usage": {periodStart, requests, promptTokens,
   * completionTokens, costUsd}}]}} into the quotas; returns how many were taken.
   *
   * @throws IllegalArgumentException naming the first entry that cannot be read
   */
  static int read(JsonNode body, ClientQuotas quotas, List<ClientConfig> known) {
    Map<String, ClientConfig> byId = known.stream().collect(Collectors.toMap(ClientConfig::id, c -> c));
    JsonNode clients = body.path("clients");
    if (!clients.isArray()) {
      throw new IllegalArgumentException("the body must be {\"clients\": [{\"id\": \"namespace/name\", \"usage\": {...}}]}");
    }
    int taken = 0;
    for (int i = 0; i < clients.size(); i++) {
      JsonNode c = clients.get(i);
      JsonNode u = c.path("usage");
      Instant start;
      try {
        start = Instant.parse(u.path("periodStart").asText(""));
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("clients[" + i + "].usage.periodStart must be an RFC 3339 time");
      }
      if (!byId.containsKey(c.path("id").asText(""))) {
        continue; // a client the config no longer has
      }
      quotas.baseline(c.path("id").asText(), start, new QuotaStore.Spent(u.path("requests").asLong(0),
          u.path("promptTokens").asLong(0), u.path("completionTokens").asLong(0), u.path("costUsd").asDouble(0), 0));
      taken++;
    }
    return taken;
  }
}
