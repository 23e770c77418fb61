package dev.switchboard.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.RouteConfig;
import dev.switchboard.config.RoutingConfig;
import dev.switchboard.config.RoutingConfigJson;
import dev.switchboard.config.TargetConfig;
import dev.switchboard.proxy.error.ApiError;
import dev.switchboard.proxy.error.ErrorMapping;
import dev.switchboard.proxy.error.Quote;
import dev.switchboard.proxy.routing.BackendState;
import dev.switchboard.proxy.routing.ServingConfig;
import dev.switchboard.proxy.server.ConfigHolder;
import dev.switchboard.proxy.server.ProxyContext;
import dev.switchboard.proxy.upstream.ProbeResult;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /healthz}, {@code /readyz}, {@code /metrics}, and with the admin token
 * {@code PUT /admin/config}, {@code GET /admin/status} and {@code POST /admin/probe}.
 */
public final class AdminService implements HttpService {
  private static final ObjectMapper JSON = RoutingConfigJson.mapper();
  private static final int MAX_CONFIG_BYTES = 64 * 1024 * 1024;

  private final ProxyContext context;

  public AdminService(ProxyContext context) {
    this.context = context;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/healthz", (req, res) -> json(res, 200, JSON.createObjectNode().put("status", "ok")))
        .get("/readyz", this::ready)
        .get("/metrics", (req, res) -> {
          res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
          res.send(context.metrics().scrape());
        })
        .put("/admin/config", this::pushConfig)
        .get("/admin/status", this::status)
        .post("/admin/probe", this::probe)
        .post("/admin/capabilities/check", this::checkCapabilities)
        .put("/admin/usage", this::pushUsage);
    // The documented answer to a wrong method is 405 naming the allowed one, not "unknown path".
    for (String[] path : new String[][] {{"/healthz", "GET"}, {"/readyz", "GET"}, {"/metrics", "GET"},
        {"/admin/config", "PUT"}, {"/admin/status", "GET"}, {"/admin/probe", "POST"}, {"/admin/capabilities/check", "POST"},
        {"/admin/usage", "PUT"}}) {
      rules.any(path[0], (req, res) -> {
        res.header(HeaderNames.ALLOW, path[1]);
        ApiError error = ErrorMapping.methodNotAllowed(req.prologue().method().text(), path[0]);
        error(res, error.status(), error.code(), error.message());
      });
    }
  }

  private void ready(ServerRequest req, ServerResponse res) {
    Optional<ServingConfig> current = context.holder().current();
    if (current.isEmpty()) {
      json(res, 503, JSON.createObjectNode().put("status", "waiting for a routing config"));
    } else {
      json(res, 200, JSON.createObjectNode().put("status", "ready").put("version", current.get().version()));
    }
  }

  private void pushConfig(ServerRequest req, ServerResponse res) {
    if (!authorized(req, res, false)) {
      return;
    }
    if (context.settings().localMode()) {
      error(res, 409, "conflict", "This proxy runs in local mode: its config comes from manifest files, not pushes.");
      return;
    }
    RoutingConfig config;
    try (InputStream in = req.content().inputStream()) {
      byte[] body = in.readNBytes(MAX_CONFIG_BYTES + 1);
      if (body.length > MAX_CONFIG_BYTES) {
        error(res, 413, "request_too_large", "The config is larger than " + MAX_CONFIG_BYTES + " bytes.");
        return;
      }
      config = RoutingConfigJson.read(body);
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      context.metrics().configRejected();
      error(res, 400, "invalid_config", "The body is not a RoutingConfig" + where(e) + ".");
      return;
    }
    ConfigHolder.Applied applied = context.holder().apply(config);
    ObjectNode body = JSON.createObjectNode().put("version", applied.version());
    if (!applied.accepted()) {
      ObjectNode error = body.putObject("error");
      error.put("message", "The config was refused: " + String.join("; ", applied.problems()));
      error.put("type", "invalid_request_error").put("code", "invalid_config");
      ArrayNode problems = body.putArray("problems");
      applied.problems().forEach(problems::add);
      json(res, 400, body);
      return;
    }
    body.put("applied", applied.changed());
    json(res, 200, body);
  }

  private void status(ServerRequest req, ServerResponse res) {
    if (!authorized(req, res, true)) {
      return;
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("mode", context.settings().localMode() ? "local" : "cluster");
    Optional<ServingConfig> current = context.holder().current();
    body.put("ready", current.isPresent());
    current.ifPresent(c -> {
      body.put("version", c.version());
      body.put("loadedAt", c.loadedAt().toString());
      ArrayNode backends = body.putArray("backends");
      long now = System.nanoTime();
      for (BackendState b : c.backends().values()) {
        backends.add(backendStatus(b, now));
      }
      ArrayNode routes = body.putArray("routes");
      for (RouteConfig r : c.config().routes()) {
        ObjectNode route = routes.addObject().put("id", r.id()).put("model", r.model()).put("strategy", r.strategy().wireName());
        ArrayNode aliases = route.putArray("aliases");
        r.aliases().forEach(aliases::add);
        ArrayNode targets = route.putArray("targets");
        for (TargetConfig t : r.targets()) {
          boolean backendSuspended = c.config().backend(t.backend()).map(b -> b.suspended()).orElse(false);
          targets.addObject().put("backend", t.backend()).put("model", t.model()).put("priority", t.priority()).put("weight", t.weight())
              .put("suspended", t.suspended() || backendSuspended);
        }
      }
      ClientUsageJson.write(body, context.quotas(), c.config().clients());
    });
    json(res, 200, body);
  }

  /** The operator's sums of each ClientKey's usage over the fleet: budgets without Redis count from them. */
  private void pushUsage(ServerRequest req, ServerResponse res) {
    if (!authorized(req, res, false)) {
      return;
    }
    Optional<ServingConfig> current = context.holder().current();
    if (current.isEmpty()) {
      error(res, 503, "not_ready", "No routing config is loaded.");
      return;
    }
    try (InputStream in = req.content().inputStream()) {
      byte[] body = in.readNBytes(MAX_CONFIG_BYTES + 1);
      if (body.length > MAX_CONFIG_BYTES) {
        error(res, 413, "request_too_large", "The usage is larger than " + MAX_CONFIG_BYTES + " bytes.");
        return;
      }
      int taken = ClientUsageJson.read(JSON.readTree(body), context.quotas(), current.get().config().clients());
      json(res, 200, JSON.createObjectNode().put("clients", taken));
    } catch (IOException | UncheckedIOException e) {
      error(res, 400, "invalid_request", "The body is not JSON" + where(e) + ".");
    } catch (IllegalArgumentException e) {
      error(res, 400, "invalid_request", "The usage cannot be read: " + e.getMessage() + ".");
    }
  }

  private void probe(ServerRequest req, ServerResponse res) {
    if (!authorized(req, res, true)) {
      return;
    }
    Optional<List<BackendState>> chosen = chosen(req, res);
    if (chosen.isEmpty()) {
      return;
    }
    context.prober().probeNow(chosen.get());
    ObjectNode body = JSON.createObjectNode();
    ArrayNode backends = body.putArray("backends");
    long now = System.nanoTime();
    chosen.get().forEach(b -> backends.add(backendStatus(b, now)));
    json(res, 200, body);
  }

  /**
   * Runs the chosen backends' capability checks now (in cluster mode the operator asks one proxy
   * and writes the verdicts to the ChatBackends' status). Each check is a real, billed request;
   * a backend that lists no capabilities is checked for nothing.
   */
  private void checkCapabilities(ServerRequest req, ServerResponse res) {
    if (!authorized(req, res, false)) {
      return;
    }
    Optional<List<BackendState>> chosen = chosen(req, res);
    if (chosen.isEmpty()) {
      return;
    }
    ObjectNode body = JSON.createObjectNode();
    ArrayNode backends = body.putArray("backends");
    for (BackendState b : chosen.get()) {
      context.capabilities().check(b);
      ObjectNode node = backends.addObject().put("id", b.id());
      capabilities(node, b);
    }
    json(res, 200, body);
  }

  /** The backends a probe or check names ({@code {"backends": [...]}}; none or an empty body: all), or empty after answering the error. */
  private Optional<List<BackendState>> chosen(ServerRequest req, ServerResponse res) {
    Optional<ServingConfig> current = context.holder().current();
    if (current.isEmpty()) {
      error(res, 503, "not_ready", "No routing config is loaded.");
      return Optional.empty();
    }
    List<BackendState> chosen = new ArrayList<>();
    try (InputStream in = req.content().inputStream()) {
      byte[] body = in.readNBytes(1024 * 1024);
      JsonNode wanted = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
      JsonNode ids = wanted.path("backends");
      if (ids.isMissingNode() || ids.isEmpty()) {
        chosen.addAll(current.get().backends().values());
      } else {
        for (JsonNode id : ids) {
          BackendState b = current.get().backends().get(id.asText());
          if (b == null) {
            error(res, 404, "backend_not_found", "No backend " + Quote.of(id.asText()) + " in the current config.");
            return Optional.empty();
          }
          chosen.add(b);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      error(res, 400, "invalid_request", "The body must be {\"backends\": [\"namespace/name\", ...]} or empty.");
      return Optional.empty();
    }
    return Optional.of(chosen);
  }

  /** {@code capabilities[]}: the last check of each listed capability per model (none before the first). */
  private void capabilities(ObjectNode node, BackendState b) {
    ArrayNode list = node.putArray("capabilities");
    for (dev.switchboard.config.CapabilityVerdict v : context.capabilities().book().of(b.id())) {
      list.addObject().put("model", v.model()).put("capability", v.capability().wireName()).put("verified", v.verified())
          .put("reason", v.reason()).put("message", v.message()).put("lastChecked", v.lastChecked());
    }
  }

  private ObjectNode backendStatus(BackendState b, long now) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", b.id()).put("provider", b.config().provider().wireName());
    node.put("probing", b.config().healthCheck().enabled());
    node.put("suspended", b.suspended());
    ArrayNode configured = node.putArray("models");
    for (dev.switchboard.config.ModelConfig m : b.config().models()) {
      ObjectNode model = configured.addObject().put("name", m.name()).put("type", m.type() == dev.switchboard.api.v1alpha1.ModelType.CHAT
          ? "chat" : "embedding");
      m.price().ifPresent(p -> model.putObject("pricing").put("input", p.input()).put("output", p.output()));
    }
    ProbeResult p = b.probe();
    if (p == null) {
      node.putNull("reachable");
    } else {
      node.put("reachable", p.reachable()).put("reason", p.reason()).put("latencyMillis", p.latencyMillis())
          .put("lastProbeTime", p.at().toString());
      if (!p.error().isEmpty()) {
        node.put("lastError", p.error());
      }
      ArrayNode models = node.putArray("discoveredModels");
      p.models().forEach(models::add);
    }
    node.put("circuit", b.breaker().state(now).name().toLowerCase().replace('_', '-'));
    node.put("consecutiveFailures", b.breaker().consecutiveFailures());
    if (!b.lastError().isEmpty()) {
      node.put("lastRequestError", b.lastError());
    }
    if (!b.config().healthCheck().capabilities().isEmpty()) {
      capabilities(node, b);
    }
    return node;
  }

  /**
   * Checks the admin token. Without one, local mode allows read-only calls (status and probes
   * hold no secrets); everything else is refused.
   */
  private boolean authorized(ServerRequest req, ServerResponse res, boolean readOnly) {
    return authorized(context, req, res, readOnly);
  }

  /**
   * Checks the admin token (compared as digests, in constant time). Without one configured, local
   * mode allows what {@code open} marks as its own (reading, probing, the console's playground:
   * the admin port then listens on loopback); everything else is refused.
   */
  public static boolean authorized(ProxyContext context, ServerRequest req, ServerResponse res, boolean readOnly) {
    var token = context.settings().adminToken();
    if (token.isEmpty()) {
      if (readOnly && context.settings().localMode()) {
        return true;
      }
      error(res, 401, "invalid_api_key", "No admin token is configured (set SWITCHBOARD_ADMIN_TOKEN).");
      return false;
    }
    String presented = req.headers().first(HeaderNames.AUTHORIZATION)
        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(v -> v.substring(7).trim())
        .orElse("");
    byte[] expected = digest(token.get().reveal());
    if (presented.isEmpty() || !MessageDigest.isEqual(expected, digest(presented))) {
      res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
      error(res, 401, "invalid_api_key", "Missing or incorrect admin token.");
      return false;
    }
    return true;
  }

  private static byte[] digest(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void error(ServerResponse res, int status, String code, String message) {
    ApiError error = new ApiError(status, status >= 500 ? "server_error" : "invalid_request_error", code, "", message);
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(error.body());
  }

  private static void json(ServerResponse res, int status, JsonNode body) {
    res.status(status);
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(body.toString());
  }

  /**
   * Where a config failed to parse, by field path and position. Jackson's messages quote values,
   * and a pushed config holds API keys, so they are never repeated.
   */
  private static String where(Exception e) {
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder();
      for (var ref : mapping.getPath()) {
        if (ref.getFieldName() != null) {
          path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
      return " (at " + path + ")";
    }
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException json && json.getLocation() != null) {
      return " (invalid JSON at line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ")";
    }
    return "";
  }
}
