package dev.switchboard.proxy.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.proxy.server.Settings;
import dev.switchboard.proxy.state.ResponseStoreConfig;
import dev.switchboard.proxy.testing.RedisServer;
import dev.switchboard.proxy.testing.ReasoningFakes;
import dev.switchboard.proxy.testing.ResponsesClient;
import dev.switchboard.proxy.testing.TestProxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two proxy replicas sharing a real {@code redis-server}: a conversation started on one continues
 * on the other with {@code previous_response_id}, turn by turn, reasoning continuity included (on a
 * Responses backend from the backend's own state, whichever replica holds the turn before); a
 * stored response is the creating key's on every replica; and with Redis gone the store's
 * failure is a 503, not a false "not found".
 */
class ResponsesFleetTest {
  @Test
  void aConversationContinuesOnAnotherReplica() throws Exception {
    MessagesSurfaceTest.start();
    try (RedisServer redis = RedisServer.start()) {
      Settings settings = Settings.defaults().withClientKeys(List.of("sk-a", "sk-b")).withResponseStore(
          new ResponseStoreConfig(ResponseStoreConfig.Mode.REDIS, 1L << 24, Duration.ofHours(1), Optional.of(URI.create(redis.url()))));
      TestProxy one = TestProxy.start(settings);
      TestProxy two = TestProxy.start(settings);
      try {
        one.serve(MessagesSurfaceTest.manifests());
        two.serve(MessagesSurfaceTest.manifests());
        for (String model : List.of("gemini", "anthropic", "responses")) {
          String previous = null;
          String input = "\"What is the weather in Paris, and the time?\"";
          JsonNode last = null;
          for (int turn = 0; turn < 3; turn++) {
            TestProxy replica = turn % 2 == 0 ? one : two; // every turn on the other replica
            String body = "{\"model\":\"" + model + "\",\"reasoning\":{\"effort\":\"medium\"},\"tools\":" + ResponsesClient.TOOLS
                + (previous == null ? "" : ",\"previous_response_id\":\"" + previous + "\"") + ",\"input\":" + input + "}";
            ResponsesClient.Answer a = ResponsesClient.send(replica, body, "authorization", "Bearer sk-a");
            assertThat(a.status()).as(model + " turn " + turn + ": " + a.body()).isEqualTo(200);
            if (turn > 0) {
              assertThat(a.header("x-switchboard-continuation")).as("the Responses backend continues from its own state, found"
                  + " through the shared store").isEqualTo(model.equals("responses") ? "native" : "rebuilt");
            }
            last = a.response();
            previous = last.path("id").asText();
            JsonNode call = last.path("output").findParent("call_id");
            if (call != null) {
              input = "[{\"type\":\"function_call_output\",\"call_id\":\"" + call.path("call_id").asText() + "\",\"output\":\"ok\"}]";
            }
          }
          assertThat(ResponsesClient.outputText(last)).isEqualTo(ReasoningFakes.ANSWER);
          assertThat(one.get("/v1/responses/" + previous, "authorization", "Bearer sk-a").status()).isEqualTo(200);
          assertThat(two.get("/v1/responses/" + previous, "authorization", "Bearer sk-b").status())
              .as("another key's response is not found on any replica").isEqualTo(404);
        }

        redis.close();
        ResponsesClient.Answer down = ResponsesClient.send(two, "{\"model\":\"compatible\",\"input\":\"x\",\"previous_response_id\":\"resp_x\"}",
            "authorization", "Bearer sk-a");
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.response().path("error").path("code").asText()).isEqualTo("store_unavailable");
        assertThat(down.body()).doesNotContain("sk-a");
        ResponsesClient.Answer stillServed = ResponsesClient.send(two, "{\"model\":\"compatible\",\"input\":\"What is the weather in Paris?\"}",
            "authorization", "Bearer sk-a");
        assertThat(stillServed.status()).as("a request that stores is still answered").isEqualTo(200);
      } finally {
        one.close();
        two.close();
      }
    } finally {
      MessagesSurfaceTest.stop();
    }
  }
}
