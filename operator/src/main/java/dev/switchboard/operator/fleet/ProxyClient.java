package dev.switchboard.operator.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.SecretValue;
import dev.switchboard.operator.status.ProxyReport;
import dev.switchboard.operator.status.Usage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The operator's side of a proxy's admin API, with the admin token and a bounded timeout. */
public final class ProxyClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final SecretValue token;
  private final Duration timeout;

  public ProxyClient(SecretValue token, Duration timeout) {
    this.token = token;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  /** A failed call, with a message that holds no secret. */
  public static final class ProxyCallException extends Exception {
    public ProxyCallException(String message) {
      super(message, null, false, false);
    }
  }

  public void push(ProxyEndpoint endpoint, byte[] config) throws ProxyCallException {
    HttpResponse<String> response = send(endpoint, HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/admin/config"))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(config)).header("content-type", "application/json"));
    if (response.statusCode() != 200) {
      throw new ProxyCallException("proxy " + endpoint.pod() + " refused the config with HTTP " + response.statusCode()
          + ": " + firstLine(response.body()));
    }
  }

  /** Hands the proxy the fleet's usage sums, which its budgets count from when there is no shared Redis. */
  public void pushUsage(ProxyEndpoint endpoint, Map<String, Usage> usage) throws ProxyCallException {
    var body = JSON.createObjectNode();
    var clients = body.putArray("clients");
    usage.forEach((id, u) -> clients.addObject().put("id", id).putObject("usage").put("periodStart", u.periodStart().toString())
        .put("requests", u.requests()).put("promptTokens", u.promptTokens()).put("completionTokens", u.completionTokens())
        .put("costUsd", u.costUsd()));
    HttpResponse<String> response = send(endpoint, HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/admin/usage"))
        .PUT(HttpRequest.BodyPublishers.ofString(body.toString())).header("content-type", "application/json"));
    if (response.statusCode() != 200) {
      throw new ProxyCallException("proxy " + endpoint.pod() + " refused the usage with HTTP " + response.statusCode());
    }
  }

  public ProxyReport status(ProxyEndpoint endpoint) throws ProxyCallException {
    return report(endpoint, send(endpoint, HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/admin/status")).GET()));
  }

  /** Asks the proxy to probe these backends now and returns what it saw. */
  public ProxyReport probe(ProxyEndpoint endpoint, List<String> backendIds) throws ProxyCallException {
    var body = JSON.createObjectNode();
    var ids = body.putArray("backends");
    backendIds.forEach(ids::add);
    return report(endpoint, send(endpoint, HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/admin/probe"))
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).header("content-type", "application/json")));
  }

  /** How long a proxy may take to run a backend's capability checks: each is a real request to a provider. */
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(90);

  /** Has the proxy run one backend's capability checks now, and returns the verdicts it reached. */
  public List<dev.switchboard.api.v1alpha1.CapabilityStatus> checkCapabilities(ProxyEndpoint endpoint, String backendId)
      throws ProxyCallException {
    var body = JSON.createObjectNode();
    body.putArray("backends").add(backendId);
    HttpResponse<String> response = send(endpoint, HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + "/admin/capabilities/check"))
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).header("content-type", "application/json"), CHECK_TIMEOUT);
    if (response.statusCode() != 200) {
      throw new ProxyCallException("proxy " + endpoint.pod() + " answered HTTP " + response.statusCode() + ": " + firstLine(response.body()));
    }
    List<dev.switchboard.api.v1alpha1.CapabilityStatus> out = new ArrayList<>();
    try {
      for (JsonNode b : JSON.readTree(response.body()).path("backends")) {
        for (JsonNode c : b.path("capabilities")) {
          Optional<dev.switchboard.api.v1alpha1.Capability> capability = dev.switchboard.api.v1alpha1.Capability.of(c.path("capability").asText());
          if (capability.isPresent() && b.path("id").asText().equals(backendId)) {
            out.add(new dev.switchboard.api.v1alpha1.CapabilityStatus(c.path("model").asText(), capability.get(),
                c.path("verified").asBoolean(), c.path("reason").asText(""), c.path("message").asText(""), c.path("lastChecked").asText("")));
          }
        }
      }
    } catch (IOException e) {
      throw new ProxyCallException("proxy " + endpoint.pod() + " sent capability checks that cannot be read");
    }
    return out;
  }

  private HttpResponse<String> send(ProxyEndpoint endpoint, HttpRequest.Builder request) throws ProxyCallException {
    return send(endpoint, request, timeout);
  }

  private HttpResponse<String> send(ProxyEndpoint endpoint, HttpRequest.Builder request, Duration timeout) throws ProxyCallException {
    try {
      return http.send(request.timeout(timeout).header("authorization", "Bearer " + token.reveal()).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ProxyCallException("proxy " + endpoint.pod() + " at " + endpoint.baseUrl() + " did not answer: "
          + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProxyCallException("interrupted");
    }
  }

  private static ProxyReport report(ProxyEndpoint endpoint, HttpResponse<String> response) throws ProxyCallException {
    if (response.statusCode() != 200) {
      throw new ProxyCallException("proxy " + endpoint.pod() + " answered HTTP " + response.statusCode() + ": " + firstLine(response.body()));
    }
    try {
      JsonNode root = JSON.readTree(response.body());
      List<ProxyReport.Backend> backends = new ArrayList<>();
      for (JsonNode b : root.path("backends")) {
        List<String> models = new ArrayList<>();
        b.path("discoveredModels").forEach(m -> models.add(m.asText()));
        JsonNode reachable = b.get("reachable");
        backends.add(new ProxyReport.Backend(
            b.path("id").asText(),
            b.path("probing").asBoolean(true),
            reachable == null || reachable.isNull() ? Optional.empty() : Optional.of(reachable.asBoolean()),
            b.path("reason").asText(""),
            b.path("latencyMillis").asLong(0),
            b.hasNonNull("lastProbeTime") ? Optional.of(Instant.parse(b.get("lastProbeTime").asText())) : Optional.empty(),
            b.path("lastError").asText(""),
            models));
      }
      List<ProxyReport.Client> clients = new ArrayList<>();
      for (JsonNode c : root.path("clients")) {
        JsonNode u = c.path("usage");
        clients.add(new ProxyReport.Client(c.path("id").asText(), "fleet".equals(c.path("counted").asText()), new Usage(
            Instant.parse(u.path("periodStart").asText()), u.path("requests").asLong(0), u.path("promptTokens").asLong(0),
            u.path("completionTokens").asLong(0), u.path("costUsd").asDouble(0),
            u.hasNonNull("lastUsed") ? Optional.of(Instant.parse(u.get("lastUsed").asText())) : Optional.empty())));
      }
      return new ProxyReport(endpoint.pod(), Optional.ofNullable(root.path("version").textValue()), backends, clients,
          root.path("quotaStore").path("degraded").asBoolean(false));
    } catch (IOException | RuntimeException e) {
      throw new ProxyCallException("proxy " + endpoint.pod() + " sent a status that cannot be read");
    }
  }

  private static String firstLine(String body) {
    String line = body == null ? "" : body.lines().findFirst().orElse("");
    return line.length() <= 500 ? line : line.substring(0, 497) + "...";
  }
}
