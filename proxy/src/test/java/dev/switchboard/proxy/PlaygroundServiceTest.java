package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.TestProxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The console's playground endpoint on the admin port: the admin token, routes, direct backend models, and no client's budget. */
class PlaygroundServiceTest {
  private static final String CHAT = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Test
  void callsRoutesAndBackendModelsWithTheAdminTokenAsTheConsole() {
    try (TestProxy proxy = TestProxy.start(Settings.defaults().withAdminToken("admin").requiringClientKeys(true))) {
      proxy.serve("""
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: mock}
          spec: {provider: mock, models: [{name: echo}], mock: {response: "from the mock"}}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: other}
          spec: {provider: mock, models: [{name: hidden}], mock: {response: "reached directly"}}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: chat}
          spec: {model: chat, targets: [{backendRef: {name: mock}, model: echo}]}
          """);
      assertThat(proxy.admin("POST", "/admin/playground/chat", CHAT.formatted("chat")).status()).isEqualTo(401);
      assertThat(proxy.admin("POST", "/admin/playground/chat", CHAT.formatted("chat"), "authorization", "Bearer nope").status())
          .isEqualTo(401);
      assertThat(proxy.chat(CHAT.formatted("chat")).status()).as("the public API requires a client key").isEqualTo(401);

      TestProxy.Reply route = proxy.admin("POST", "/admin/playground/chat", CHAT.formatted("chat"), "authorization", "Bearer admin");
      assertThat(route.status()).isEqualTo(200);
      assertThat(route.json().at("/choices/0/message/content").asText()).isEqualTo("from the mock");

      TestProxy.Reply direct = proxy.admin("POST", "/admin/playground/chat?backend=default/other&model=hidden", CHAT.formatted("x"),
          "authorization", "Bearer admin");
      assertThat(direct.status()).as("a backend model no route serves").isEqualTo(200);
      assertThat(direct.json().at("/choices/0/message/content").asText()).isEqualTo("reached directly");
      assertThat(direct.header("x-switchboard-attempts")).isEqualTo("1");

      TestProxy.Reply missing = proxy.admin("POST", "/admin/playground/chat?backend=default/other&model=nope", CHAT.formatted("x"),
          "authorization", "Bearer admin");
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.json().at("/error/message").asText()).contains("has no model");

      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> proxy.accessLog().stream()
          .filter(l -> l.contains("/admin/playground/chat") && l.contains("\"status\":200")).count() == 2);
      assertThat(proxy.accessLog()).filteredOn(l -> l.contains("/admin/playground/chat")).allMatch(l -> l.contains("\"client\":\"console\""));
      assertThat(proxy.admin("GET", "/metrics", null, "authorization", "Bearer admin").body()).contains("client=\"console\"");
    }
  }
}
