package dev.switchboard.proxy.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.RouteConfig;
import dev.switchboard.proxy.clients.ClientIdentity;
import dev.switchboard.proxy.error.ErrorMapping;
import dev.switchboard.proxy.routing.RouteState;
import dev.switchboard.proxy.routing.ServingConfig;
import dev.switchboard.proxy.server.ProxyContext;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: every route name and alias, in OpenAI's
 * list format, with Switchboard's details (route, type, capabilities) in an extra field.
 */
public final class ModelsService implements HttpService {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ProxyContext context;

  public ModelsService(ProxyContext context) {
    this.context = context;
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get("/models", this::list)
        .get("/models/*", this::one);
  }

  private void list(ServerRequest req, ServerResponse res) {
    res.header(HttpResponses.REQUEST_ID, RequestIds.of(req));
    if (Surface.of(req) == Surface.ANTHROPIC) {
      anthropicList(res, ClientAuth.identity(req));
      return;
    }
    ObjectNode body = JSON.createObjectNode().put("object", "list");
    var data = body.putArray("data");
    context.holder().current().ifPresent(config -> {
      for (String name : config.modelNames(ClientAuth.identity(req)::mayCall)) {
        data.add(model(name, config, config.route(name).orElseThrow()));
      }
    });
    res.header(HeaderNames.CONTENT_TYPE, HttpResponses.JSON);
    res.send(body.toString());
  }

  private void one(ServerRequest req, ServerResponse res) {
    String requestId = RequestIds.of(req);
    res.header(HttpResponses.REQUEST_ID, requestId);
    String path = req.path().absolute().path();
    String id = path.substring(path.indexOf("/models/") + "/models/".length());
    Optional<ServingConfig> config = context.holder().current();
    ClientIdentity client = ClientAuth.identity(req);
    Optional<RouteState> route = config.flatMap(c -> c.route(id)).filter(r -> client.mayCall(r.config().names()));
    if (route.isEmpty()) {
      HttpResponses.error(req, res, ErrorMapping.modelNotFound(id,
          config.map(c -> c.modelNames(client::mayCall)).orElse(java.util.List.of())),
          "", "", 0);
      return;
    }
    res.header(HeaderNames.CONTENT_TYPE, HttpResponses.JSON);
    res.send((Surface.of(req) == Surface.ANTHROPIC ? anthropicModel(id, config.get()) : model(id, config.get(), route.get())).toString());
  }

  /** Anthropic's list shape ({@code data}, {@code has_more}, {@code first_id}, {@code last_id}), for clients that send anthropic-version. */
  private void anthropicList(ServerResponse res, ClientIdentity client) {
    ObjectNode body = JSON.createObjectNode();
    var data = body.putArray("data");
    context.holder().current().ifPresent(config -> config.modelNames(client::mayCall).forEach(name -> data.add(anthropicModel(name, config))));
    body.put("has_more", false);
    if (data.isEmpty()) {
      body.putNull("first_id").putNull("last_id");
    } else {
      body.put("first_id", data.get(0).path("id").asText()).put("last_id", data.get(data.size() - 1).path("id").asText());
    }
    res.header(HeaderNames.CONTENT_TYPE, HttpResponses.JSON);
    res.send(body.toString());
  }

  private static ObjectNode anthropicModel(String name, ServingConfig config) {
    RouteState route = config.route(name).orElseThrow();
    String description = route.config().description();
    return JSON.createObjectNode().put("type", "model").put("id", name)
        .put("display_name", description.isEmpty() ? name : description)
        .put("created_at", java.time.format.DateTimeFormatter.ISO_INSTANT.format(config.loadedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
  }

  private static ObjectNode model(String name, ServingConfig config, RouteState route) {
    RouteConfig r = route.config();
    ObjectNode model = JSON.createObjectNode()
        .put("id", name)
        .put("object", "model")
        .put("created", config.loadedAt().getEpochSecond())
        .put("owned_by", "switchboard");
    ObjectNode details = model.putObject("switchboard");
    details.put("route", r.id()).put("type", r.type().wireName()).put("alias", !name.equals(r.model()));
    if (!r.description().isEmpty()) {
      details.put("description", r.description());
    }
    var capabilities = details.putArray("capabilities");
    r.capabilities().forEach(capabilities::add);
    return model;
  }
}
