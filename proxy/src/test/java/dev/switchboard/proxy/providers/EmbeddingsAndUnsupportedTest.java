package dev.switchboard.proxy.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.TestProxy;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EmbeddingsAndUnsupportedTest {
  private FakeUpstream anthropic;
  private FakeUpstream openai;
  private TestProxy proxy;

  @BeforeEach
  void start() {
    anthropic = FakeUpstream.start();
    openai = FakeUpstream.start();
    proxy = TestProxy.start();
    proxy.serve("""
        apiVersion: v1
        kind: Secret
        metadata: {name: k}
        stringData: {k: key}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: claude}
        spec: {provider: anthropic, url: %s, credentials: {secretRef: {name: k, key: k}}, models: [{name: c}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: compat}
        spec: {provider: openai-compatible, url: %s/v1, models: [{name: c}, {name: e, type: embedding}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: mock}
        spec: {provider: mock, models: [{name: vec, type: embedding}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: chat}
        spec:
          model: chat
          targets:
            - {backendRef: {name: claude}, model: c, priority: 0}
            - {backendRef: {name: compat}, model: c, priority: 1}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: embed}
        spec: {model: embed, targets: [{backendRef: {name: compat}, model: e}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: mock-vectors}
        spec: {model: mock-vectors, targets: [{backendRef: {name: mock}, model: vec}]}
        """.formatted(anthropic.url(), openai.url()));
  }

  @AfterEach
  void stop() {
    proxy.close();
    anthropic.close();
    openai.close();
  }

  @Test
  void aTargetThatCannotExpressTheRequestPassesItToOneThatCan() {
    openai.then(FakeUpstream.completion("with logprobs"));
    TestProxy.Reply reply = proxy.chat("{\"model\":\"chat\",\"logprobs\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("x-switchboard-backend")).isEqualTo("default/compat");
    assertThat(reply.header("x-switchboard-attempts")).isEqualTo("1");
    assertThat(anthropic.hits()).isZero();
    assertThat(proxy.context().holder().current().orElseThrow().backends().get("default/claude").breaker().consecutiveFailures())
        .as("the request's fault, not the backend's").isZero();
  }

  @Test
  void embeddingsPassThroughOpenAiFormatBackends() {
    openai.then(FakeUpstream.json(200, "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,0.2]}],"
        + "\"model\":\"e\",\"usage\":{\"prompt_tokens\":3,\"total_tokens\":3}}"));
    TestProxy.Reply reply = proxy.send("POST", proxy.url() + "/v1/embeddings", "{\"model\":\"embed\",\"input\":[\"hello\"],\"dimensions\":2}");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("x-switchboard-route")).isEqualTo("default/embed");
    assertThat(openai.last().path()).isEqualTo("/v1/embeddings");
    assertThat(openai.last().body()).isEqualTo("{\"model\":\"e\",\"input\":[\"hello\"],\"dimensions\":2}");
    assertThat(reply.json().at("/data/0/embedding").toString()).isEqualTo("[0.1,0.2]");
  }

  @Test
  void theMockEmbedsDeterministically() {
    String a = proxy.send("POST", proxy.url() + "/v1/embeddings", "{\"model\":\"mock-vectors\",\"input\":\"same\",\"dimensions\":4}").body();
    String b = proxy.send("POST", proxy.url() + "/v1/embeddings", "{\"model\":\"mock-vectors\",\"input\":\"same\",\"dimensions\":4}").body();
    assertThat(a).isEqualTo(b).contains("\"object\":\"list\"");
    assertThat(proxy.send("POST", proxy.url() + "/v1/embeddings", "{\"model\":\"mock-vectors\",\"input\":\"x\",\"encoding_format\":\"base64\"}")
        .json().at("/data/0/embedding").asText()).hasSize(44); // 8 floats, 32 bytes
  }

  static Stream<Arguments> badEmbeddings() {
    return Stream.of(
        Arguments.of("{\"input\":\"x\"}", 400, "model"),
        Arguments.of("{\"model\":\"embed\"}", 400, "input"),
        Arguments.of("{\"model\":\"embed\",\"input\":[]}", 400, "input"),
        Arguments.of("{\"model\":\"embed\",\"input\":5}", 400, "input"),
        Arguments.of("{\"model\":\"embed\",\"input\":[\"a\",1]}", 400, "input[1]"),
        Arguments.of("{\"model\":\"embed\",\"input\":[[1,2],[]]}", 400, "input[1]"),
        Arguments.of("{\"model\":\"embed\",\"input\":\"x\",\"encoding_format\":\"int8\"}", 400, "encoding_format"),
        Arguments.of("{\"model\":\"embed\",\"input\":\"x\",\"dimensions\":0}", 400, "dimensions"),
        Arguments.of("{\"model\":\"chat\",\"input\":\"x\"}", 400, "model"),
        Arguments.of("{\"model\":\"nope\",\"input\":\"x\"}", 404, "model"),
        Arguments.of("not json", 400, ""));
  }

  @ParameterizedTest
  @MethodSource("badEmbeddings")
  void badEmbeddingRequestsGetClearErrors(String body, int status, String param) {
    TestProxy.Reply reply = proxy.send("POST", proxy.url() + "/v1/embeddings", body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    if (!param.isEmpty()) {
      assertThat(reply.json().at("/error/param").asText()).isEqualTo(param);
    }
    assertThat(openai.hits()).isZero();
  }
}
