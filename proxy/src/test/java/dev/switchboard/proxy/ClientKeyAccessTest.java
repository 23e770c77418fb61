package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.RoutingConfig;
import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.TestProxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ClientKeys decide who may call what: each key's models, a disabled or expired key's own 401,
 * a model the key may not call answered exactly like one that does not exist, {@code /v1/models}
 * listing only what the key may call, the {@code client} label in metrics and the access log;
 * and whether the API needs a key at all is a setting, not a side effect of how many keys exist.
 */
class ClientKeyAccessTest {
  private static final String GATEWAY = """
      apiVersion: v1
      kind: Secret
      metadata: {name: keys}
      stringData: {search: sk-sb-search, batch: sk-sb-batch, old: sk-sb-old, paused: sk-sb-off}
      ---
      apiVersion: switchboard.dev/v1alpha1
      kind: ChatBackend
      metadata: {name: mock}
      spec: {provider: mock, models: [{name: echo}]}
      ---
      apiVersion: switchboard.dev/v1alpha1
      kind: ModelRoute
      metadata: {name: chat}
      spec: {model: chat, aliases: [chat-latest], targets: [{backendRef: {name: mock}, model: echo}]}
      ---
      apiVersion: switchboard.dev/v1alpha1
      kind: ModelRoute
      metadata: {name: code}
      spec: {model: code, targets: [{backendRef: {name: mock}, model: echo}]}
      ---
      apiVersion: switchboard.dev/v1alpha1
      kind: ClientKey
      metadata: {name: search}
      spec: {secretRef: {name: keys, key: search}, models: [chat]}
      ---
      apiVersion: switchboard.dev/v1alpha1
      kind: ClientKey
      metadata: {name: batch}
      spec: {secretRef: {name: keys, key: batch}}
      ---
      apiVersion: switchboard.dev/v1alpha1
      kind: ClientKey
      metadata: {name: old}
      spec: {secretRef: {name: keys, key: old}, expiresAt: "2020-01-01T00:00:00Z"}
      ---
      apiVersion: switchboard.dev/v1alpha1
      kind: ClientKey
      metadata: {name: paused}
      spec: {secretRef: {name: keys, key: paused}, disabled: true}
      """;

  private static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  @Test
  void eachKeyCallsWhatItMayAndNothingElse() {
    try (TestProxy proxy = TestProxy.start()) {
      proxy.serve(GATEWAY);
      assertThat(proxy.chat(chat("chat")).status()).as("keys exist: the API is closed").isEqualTo(401);
      assertThat(proxy.chat(chat("chat"), "authorization", "Bearer sk-sb-wrong").json().at("/error/message").asText())
          .isEqualTo("Incorrect API key provided.");

      assertThat(proxy.chat(chat("chat"), "authorization", "Bearer sk-sb-search").status()).isEqualTo(200);
      assertThat(proxy.chat(chat("chat-latest"), "authorization", "Bearer sk-sb-search").status()).as("an alias of an allowed route")
          .isEqualTo(200);
      TestProxy.Reply denied = proxy.chat(chat("code"), "authorization", "Bearer sk-sb-search");
      TestProxy.Reply unknown = proxy.chat(chat("nope"), "authorization", "Bearer sk-sb-search");
      assertThat(denied.status()).isEqualTo(404);
      assertThat(denied.json().at("/error/code").asText()).isEqualTo("model_not_found");
      assertThat(denied.json().at("/error/message").asText())
          .isEqualTo("The model 'code' does not exist or you do not have access to it; available models: chat, chat-latest.");
      assertThat(unknown.json().at("/error/message").asText()).as("indistinguishable from a model that does not exist")
          .isEqualTo(denied.json().at("/error/message").asText().replace("'code'", "'nope'"));
      assertThat(proxy.get("/v1/models", "authorization", "Bearer sk-sb-search").json().path("data"))
          .extracting(m -> m.path("id").asText()).containsExactly("chat", "chat-latest");
      assertThat(proxy.get("/v1/models/code", "authorization", "Bearer sk-sb-search").status()).isEqualTo(404);
      assertThat(proxy.get("/v1/models", "authorization", "Bearer sk-sb-batch").json().path("data"))
          .extracting(m -> m.path("id").asText()).containsExactly("chat", "chat-latest", "code");
      assertThat(proxy.get("/v1/models", "x-api-key", "sk-sb-search", "anthropic-version", "2023-06-01").json().path("data"))
          .as("Anthropic's list too").extracting(m -> m.path("id").asText()).containsExactly("chat", "chat-latest");

      TestProxy.Reply expired = proxy.chat(chat("chat"), "authorization", "Bearer sk-sb-old");
      assertThat(expired.status()).isEqualTo(401);
      assertThat(expired.json().at("/error/message").asText()).isEqualTo("This API key expired at 2020-01-01T00:00:00Z (ClientKey default/old).");
      TestProxy.Reply disabled = proxy.chat(chat("chat"), "authorization", "Bearer sk-sb-off");
      assertThat(disabled.status()).isEqualTo(401);
      assertThat(disabled.json().at("/error/message").asText()).startsWith("This API key is disabled (ClientKey default/paused).");
      TestProxy.Reply messages = proxy.send("POST", proxy.url() + "/v1/messages",
          "{\"model\":\"chat\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-api-key", "sk-sb-off",
          "anthropic-version", "2023-06-01", "content-type", "application/json");
      assertThat(messages.json().at("/error/type").asText()).as("in the surface's own format").isEqualTo("authentication_error");
      assertThat(messages.json().at("/error/message").asText()).contains("disabled");

      String metrics = proxy.admin("GET", "/metrics", null).body();
      assertThat(metrics).contains("client=\"default/search\"").contains("client=\"none\"").doesNotContain("sk-sb-");
      assertThat(proxy.accessLog()).anyMatch(l -> l.contains("\"client\":\"default/search\"") && l.contains("\"status\":404"));
    }
  }

  @Test
  void whetherAKeyIsNeededIsASettingNotTheNumberOfKeys() {
    String open = GATEWAY.substring(GATEWAY.indexOf("apiVersion: switchboard.dev/v1alpha1"), GATEWAY.indexOf("---\napiVersion: switchboard.dev/v1alpha1\nkind: ClientKey"));
    try (TestProxy proxy = TestProxy.start()) {
      RoutingConfig noKeys = TestProxy.compile(open);
      proxy.context().holder().apply(noKeys);
      assertThat(proxy.chat(chat("chat")).status()).as("no keys, nothing required: open, as local mode is").isEqualTo(200);
      proxy.context().holder().apply(noKeys.withAccess(true, 1));
      TestProxy.Reply closed = proxy.chat(chat("chat"));
      assertThat(closed.status()).as("the last ClientKey deleted from a gateway that required keys").isEqualTo(401);
      assertThat(closed.json().at("/error/message").asText()).contains("Missing API key");
    }
    try (TestProxy proxy = TestProxy.start(Settings.defaults().requiringClientKeys(true))) {
      proxy.serve(open);
      assertThat(proxy.chat(chat("chat")).status()).as("--require-client-key").isEqualTo(401);
      assertThat(proxy.chat(chat("chat"), "authorization", "Bearer anything").status()).isEqualTo(401);
    }
  }
}
