package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.RoutingConfig;
import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.TestProxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAuthTest {
  private static final String MOCK = """
      apiVersion: switchboard.dev/v1alpha1
      kind: ChatBackend
      metadata: {name: mock}
      spec: {provider: mock, models: [{name: echo}]}
      ---
      apiVersion: switchboard.dev/v1alpha1
      kind: ModelRoute
      metadata: {name: echo}
      spec: {model: echo, targets: [{backendRef: {name: mock}}]}
      """;
  private static final String CHAT = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Test
  void keysGivenToTheProcessGuardEveryV1Call() {
    try (TestProxy proxy = TestProxy.start(Settings.defaults().withClientKeys(List.of("sb-local-key")))) {
      proxy.serve(MOCK);
      TestProxy.Reply missing = proxy.chat(CHAT);
      assertThat(missing.status()).isEqualTo(401);
      assertThat(missing.header("www-authenticate")).isEqualTo("Bearer");
      assertThat(missing.json().at("/error/code").asText()).isEqualTo("invalid_api_key");
      assertThat(missing.json().at("/error/message").asText()).contains("Missing API key");

      assertThat(proxy.chat(CHAT, "Authorization", "Bearer wrong").status()).isEqualTo(401);
      assertThat(proxy.get("/v1/models").status()).isEqualTo(401);
      assertThat(proxy.chat(CHAT, "Authorization", "Bearer sb-local-key").status()).isEqualTo(200);
      assertThat(proxy.chat(CHAT, "api-key", "sb-local-key").status()).as("Azure SDK style").isEqualTo(200);
      assertThat(proxy.get("/v1/models", "Authorization", "bearer sb-local-key").status()).isEqualTo(200);
      assertThat(proxy.admin("GET", "/healthz", null).status()).as("the admin port is separate").isEqualTo(200);
    }
  }

  @Test
  void keysFromTheConfigAreHonouredAsHashes() {
    try (TestProxy proxy = TestProxy.start()) {
      assertThat(proxy.chat(CHAT).status()).as("no config yet").isEqualTo(503);
      RoutingConfig config = TestProxy.compile(MOCK).withClientKeys(List.of("team-a-key", "team-b-key"));
      assertThat(config.clientKeyHashes()).allMatch(h -> h.startsWith("sha256:")).noneMatch(h -> h.contains("team"));
      assertThat(proxy.context().holder().apply(config).accepted()).isTrue();
      assertThat(proxy.chat(CHAT).status()).isEqualTo(401);
      assertThat(proxy.chat(CHAT, "Authorization", "Bearer team-b-key").status()).isEqualTo(200);
    }
  }
}
