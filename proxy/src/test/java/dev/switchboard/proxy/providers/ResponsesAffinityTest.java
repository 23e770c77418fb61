package dev.switchboard.proxy.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.ReasoningFakes;
import dev.switchboard.proxy.testing.ResponsesClient;
import dev.switchboard.proxy.testing.TestProxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Conversations stored on Responses backends: a continuation goes back to the backend that holds
 * it and continues from that backend's own state, whatever the route's strategy says; when that
 * backend is down, or has lost what it stored, the gateway rebuilds the conversation from its own
 * store; the response header says which. Clients only ever see the gateway's ids.
 */
class ResponsesAffinityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Not strict about reasoning items: when A has lost what it stored, nobody holds the reasoning of
   * its calls any more, and the real API accepts function calls sent without ids and without it.
   */
  private final ReasoningFakes.Responses apiA = new ReasoningFakes.Responses(false);
  private final ReasoningFakes.Responses apiB = new ReasoningFakes.Responses(true);
  private final AtomicBoolean aDown = new AtomicBoolean();
  private FakeUpstream a;
  private FakeUpstream b;
  private TestProxy proxy;

  @BeforeEach
  void start() {
    FakeUpstream.Behaviour real = apiA.behaviour();
    a = FakeUpstream.start().then((req, res, r) -> {
      if (aDown.get()) {
        FakeUpstream.json(503, "{\"error\":{\"message\":\"The server is overloaded.\",\"type\":\"server_error\"}}").answer(req, res, r);
      } else {
        real.answer(req, res, r);
      }
    });
    b = FakeUpstream.start().then(apiB.behaviour());
    proxy = TestProxy.start();
    proxy.serve("""
        apiVersion: v1
        kind: Secret
        metadata: {name: keys}
        stringData: {key: sk-fake-provider-key}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: a}
        spec: {provider: openai, api: responses, url: %s/v1, credentials: {secretRef: {name: keys, key: key}}, models: [{name: gpt-5}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ChatBackend
        metadata: {name: b}
        spec:
          provider: azure-openai
          api: responses
          url: %s
          credentials: {secretRef: {name: keys, key: key}}
          azure: {apiVersion: v1, deployments: {gpt-5: gpt-5-fake}}
          models: [{name: gpt-5}]
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: spread}
        spec: {model: spread, strategy: round-robin, targets: [{backendRef: {name: a}, model: gpt-5}, {backendRef: {name: b}, model: gpt-5}]}
        ---
        apiVersion: switchboard.dev/v1alpha1
        kind: ModelRoute
        metadata: {name: a-then-b}
        spec: {model: a-then-b, strategy: failover, targets: [{backendRef: {name: a}, model: gpt-5}, {backendRef: {name: b}, model: gpt-5}]}
        """.formatted(a.url(), b.url()));
  }

  @AfterEach
  void stop() {
    proxy.close();
    a.close();
    b.close();
  }

  @ParameterizedTest(name = "stream={0}")
  @ValueSource(booleans = {false, true})
  void aContinuationGoesBackToTheBackendThatHoldsItThoughTheRouteRoundRobins(boolean stream) throws Exception {
    for (int conversation = 0; conversation < 3; conversation++) {
      List<ResponsesClient.Answer> turns = ResponsesClient.loop(proxy, "spread", stream, true, 5);
      assertThat(turns).hasSize(3);
      ResponsesClient.Answer last = turns.get(2);
      assertThat(last.status()).as(last.body()).isEqualTo(200);
      assertThat(ResponsesClient.outputText(last.response())).isEqualTo(ReasoningFakes.ANSWER);
      String backend = turns.get(0).header("x-switchboard-backend");
      for (ResponsesClient.Answer t : turns) {
        assertThat(t.header("x-switchboard-backend")).as("affinity beats the rotation").isEqualTo(backend);
        String id = t.response().path("id").asText();
        assertThat(proxy.get("/v1/responses/" + id).json().path("id").asText()).as("the gateway finds every id it gave").isEqualTo(id);
      }
      assertThat(turns.subList(1, 3)).extracting(t -> t.header("x-switchboard-continuation")).containsOnly("native");
      assertThat(turns.get(1).response().path("previous_response_id").asText()).isEqualTo(turns.get(0).response().path("id").asText());
    }
    assertThat(apiA.continued.get() + apiB.continued.get()).as("every continuation came from a backend's own state").isEqualTo(6);
    JsonNode sent = JSON.readTree(a.last().body());
    assertThat(sent.path("previous_response_id").asText()).as("the backend gets its own id back (the fake's are 32 hex digits),"
        + " not the gateway's (48)").matches("resp_[0-9a-f]{32}");
  }

  @Test
  void whenTheHoldingBackendIsDownTheGatewayRebuildsTheConversationOnAnother() throws Exception {
    ResponsesClient.Answer first = ResponsesClient.send(proxy, turn(null, "\"What is the weather in Paris, and the time?\""));
    assertThat(first.header("x-switchboard-backend")).isEqualTo("default/a");
    aDown.set(true);

    ResponsesClient.Answer second = ResponsesClient.send(proxy, turn(first, null));
    assertThat(second.status()).as(second.body()).isEqualTo(200);
    assertThat(second.header("x-switchboard-backend")).isEqualTo("default/b");
    assertThat(second.header("x-switchboard-continuation")).isEqualTo("rebuilt");
    JsonNode rebuilt = JSON.readTree(b.last().body());
    assertThat(rebuilt.path("previous_response_id").isMissingNode()).isTrue();
    assertThat(rebuilt.path("store").asBoolean()).as("the gateway keeps the conversation now").isFalse();
    assertThat(rebuilt.path("input").toString()).contains("What is the weather in Paris", "function_call_output");

    ResponsesClient.Answer third = ResponsesClient.send(proxy, turn(second, null));
    assertThat(third.status()).as(third.body()).isEqualTo(200);
    assertThat(ResponsesClient.outputText(third.response())).isEqualTo(ReasoningFakes.ANSWER);
    assertThat(apiA.continued.get() + apiB.continued.get()).isZero();
  }

  @Test
  void whenTheHoldingBackendLostWhatItStoredTheSameBackendGetsTheConversationRebuilt() throws Exception {
    ResponsesClient.Answer first = ResponsesClient.send(proxy, turn(null, "\"What is the weather in Paris, and the time?\""));
    apiA.forget();

    ResponsesClient.Answer second = ResponsesClient.send(proxy, turn(first, null));
    assertThat(second.status()).as(second.body()).isEqualTo(200);
    assertThat(second.header("x-switchboard-backend")).isEqualTo("default/a");
    assertThat(second.header("x-switchboard-continuation")).isEqualTo("rebuilt");
    assertThat(second.header("x-switchboard-attempts")).as("one try: the fallback is part of it").isEqualTo("1");
  }

  /** A turn of the weather loop on the failover route: the question, or the previous answer's tool output. */
  private static String turn(ResponsesClient.Answer previous, String input) {
    String body = "{\"model\":\"a-then-b\",\"reasoning\":{\"effort\":\"medium\"},\"tools\":" + ResponsesClient.TOOLS;
    if (previous == null) {
      return body + ",\"input\":" + input + "}";
    }
    assertThat(previous.status()).as(previous.body()).isEqualTo(200);
    JsonNode call = previous.response().path("output").findParent("call_id");
    return body + ",\"previous_response_id\":\"" + previous.response().path("id").asText() + "\",\"input\":[{\"type\":"
        + "\"function_call_output\",\"call_id\":\"" + call.path("call_id").asText() + "\",\"output\":\"ok\"}]}";
  }
}
