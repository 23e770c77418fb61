package dev.switchboard.proxy.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.MessagesClient;
import dev.switchboard.proxy.testing.TestProxy;
import dev.switchboard.proxy.testing.Wire;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streams on the Messages surface when things go wrong: a backend that breaks off after the first
 * byte ends the client's stream with {@code event: error} and Anthropic's error object (never a
 * silent end, never a {@code message_stop}); an Anthropic backend's own error event is relayed in
 * Anthropic's words, and before the first byte it is a failure the route fails over from; a
 * translated stream that goes quiet gets pings.
 */
class MessagesStreamsTest {
  static FakeUpstream openAi;
  static FakeUpstream claude;
  static TestProxy proxy;

  @BeforeAll
  static void start() {
    openAi = FakeUpstream.start();
    claude = FakeUpstream.start();
    proxy = TestProxy.start(Settings.defaults().withStreamPing(Duration.ofMillis(100)));
    proxy.serve("""
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData: {key: sk-fake-provider-key}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: openai}
        spec: {provider: openai-compatible, url: %s, models: [{name: m}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: claude}
        spec: {provider: anthropic, url: %s, credentials: {secretRef: {name: keys, key: key}}, models: [{name: claude-fake}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: translated}
        spec: {model: translated, retry: {attempts: 1}, targets: [{backendRef: {name: openai}, model: m}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: claude}
        spec: {model: claude, retry: {attempts: 1}, targets: [{backendRef: {name: claude}, model: claude-fake}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: claude-then-openai}
        spec:
          model: claude-then-openai
          strategy: failover
          retry: {attempts: 2}
          targets: [{backendRef: {name: claude}, model: claude-fake}, {backendRef: {name: openai}, model: m}]
        """.formatted(openAi.url(), claude.url()));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    openAi.close();
    claude.close();
  }

  private static String body(String model) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":50,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  private static final String START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":"
      + "\"message\",\"role\":\"assistant\",\"model\":\"claude-fake\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":7,"
      + "\"output_tokens\":1}}}\n\n";
  private static final String OVERLOADED = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
      + "\"message\":\"Overloaded\"}}\n\n";

  @Test
  void aTranslatedStreamThatBreaksOffEndsWithAnErrorEvent() {
    openAi.then(FakeUpstream.cutAfter(Wire.roleChunk(), Wire.chunk("Hel")));
    MessagesClient.Answer a = MessagesClient.send(proxy, body("translated"));

    assertThat(a.status()).isEqualTo(200);
    List<String> names = a.eventNames();
    assertThat(names).startsWith("message_start").contains("content_block_delta").doesNotContain("message_stop", "message_delta");
    assertThat(names.get(names.size() - 1)).isEqualTo("error");
    JsonNode error = a.events().get(names.size() - 1).data();
    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.path("error").path("type").asText()).isEqualTo("api_error");
    assertThat(error.path("error").path("message").asText()).contains("broke off");
  }

  @Test
  void anAnthropicErrorEventAfterTheFirstByteIsRelayedInAnthropicsWords() {
    claude.then(FakeUpstream.sse(Duration.ZERO, START, OVERLOADED));
    MessagesClient.Answer a = MessagesClient.send(proxy, body("claude"));

    assertThat(a.eventNames()).containsExactly("message_start", "error");
    assertThat(a.events().get(0).data().path("message").path("model").asText()).isEqualTo("claude");
    assertThat(a.events().get(1).data().path("error").path("type").asText()).isEqualTo("overloaded_error");
  }

  @Test
  void anAnthropicErrorBeforeTheFirstByteFailsOverToTheNextTarget() {
    claude.then(FakeUpstream.sse(Duration.ZERO, OVERLOADED));
    openAi.then(FakeUpstream.sse(Duration.ZERO, FakeUpstream.streamOf("Hello", " world")));
    MessagesClient.Answer a = MessagesClient.send(proxy, body("claude-then-openai"));

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.header("x-switchboard-backend")).isEqualTo("default/openai");
    assertThat(a.header("x-switchboard-attempts")).isEqualTo("2");
    assertThat(MessagesClient.text(a.message())).isEqualTo("Hello world");
    assertThat(a.eventNames()).endsWith("message_delta", "message_stop");
  }

  @Test
  void aQuietTranslatedStreamGetsPings() {
    openAi.then(FakeUpstream.sse(Duration.ofMillis(450), FakeUpstream.streamOf("slow", " answer")));
    MessagesClient.Answer a = MessagesClient.send(proxy, body("translated"));

    assertThat(MessagesClient.text(a.message())).isEqualTo("slow answer");
    // message_start is followed by one ping; the silences between chunks add more.
    assertThat(a.eventNames().stream().filter("ping"::equals).count()).isGreaterThan(2);
    assertThat(a.eventNames()).endsWith("message_stop");
  }

  @Test
  void errorsBeforeTheStreamAreAnthropicErrorObjects() {
    openAi.then(FakeUpstream.json(500, Wire.error("down", "server_error", "")));
    MessagesClient.Answer a = MessagesClient.send(proxy, body("translated"));

    assertThat(a.status()).isEqualTo(502);
    assertThat(a.message().path("type").asText()).isEqualTo("error");
    assertThat(a.message().path("error").path("type").asText()).isEqualTo("api_error");
    assertThat(a.header("x-switchboard-route")).isEqualTo("default/translated");
  }
}
