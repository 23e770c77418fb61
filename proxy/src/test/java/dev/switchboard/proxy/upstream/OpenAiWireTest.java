package dev.switchboard.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.TestBackends;
import dev.switchboard.config.BackendConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenAiWireTest {
  private static Usage usage(String body) throws UpstreamException {
    return OpenAiWire.completionUsage(backend(), body.getBytes(StandardCharsets.UTF_8));
  }

  private static BackendConfig backend() {
    return TestBackends.withKey("sk-test");
  }

  @Test
  void readsUsageWithReasoningTokensAndSkipsWhatItDoesNotKnow() throws Exception {
    Usage u = usage("""
        {"id":"c1","choices":[{"index":0,"message":{"role":"assistant","content":"{\\"usage\\":1}"}}],
         "usage":{"prompt_tokens_details":{"cached_tokens":3,"audio_tokens":0},"prompt_tokens":12,
                  "completion_tokens":40,"total_tokens":52,
                  "completion_tokens_details":{"accepted_prediction_tokens":0,"reasoning_tokens":25,"x":[1,{"y":2}]},
                  "future":{"nested":[1,2]}},
         "system_fingerprint":"fp"}""");
    assertThat(u).isEqualTo(new Usage(12, 40, 25, 3));
  }

  @Test
  void noUsageIsNoneAndAnErrorObjectIsAFailure() throws Exception {
    assertThat(usage("{\"id\":\"c1\",\"choices\":[]}")).isEqualTo(Usage.NONE);
    assertThat(usage("{\"usage\":null}")).isEqualTo(Usage.NONE);
    assertThatThrownBy(() -> usage("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"))
        .isInstanceOf(UpstreamException.class).hasMessageContaining("boom");
    assertThatThrownBy(() -> usage("[1]")).isInstanceOf(UpstreamException.class).hasMessageContaining("not a JSON object");
  }
}
