package dev.switchboard.proxy.upstream;

import dev.switchboard.proxy.error.SecretMasker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.TestBackends;
import dev.switchboard.config.BackendConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** Every provider's error shape becomes one classified failure whose message names the backend. */
class UpstreamErrorsTest {
  private static final BackendConfig BACKEND = TestBackends.withKey("sk-live-abcdef123456");

  private static UpstreamException parse(int status, String body, String contentType) {
    return UpstreamErrors.fromResponse(BACKEND, status, body.getBytes(StandardCharsets.UTF_8), contentType, null, null);
  }

  @Test
  void readsEachProvidersErrorFormat() {
    UpstreamException openai = parse(400, "{\"error\":{\"message\":\"bad temp\",\"type\":\"invalid_request_error\",\"param\":\"temperature\",\"code\":\"x\"}}", "application/json");
    assertThat(openai.getMessage()).isEqualTo("bad temp (backend default/b, HTTP 400)");
    assertThat(openai.param()).isEqualTo("temperature");
    assertThat(openai.errorType()).isEqualTo("invalid_request_error");

    UpstreamException anthropic = parse(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}", "application/json");
    assertThat(anthropic.errorType()).isEqualTo("overloaded_error");
    assertThat(anthropic.retryClass()).isPresent();

    UpstreamException gemini = parse(429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}}", "application/json");
    assertThat(gemini.errorType()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(gemini.getMessage()).startsWith("Resource has been exhausted");

    UpstreamException ollama = parse(404, "{\"error\":\"model \\\"llama9\\\" not found, try pulling it first\"}", "application/json");
    assertThat(ollama.getMessage()).startsWith("model \"llama9\" not found");
    assertThat(ollama.retryClass()).isEmpty();

    UpstreamException fastapi = parse(422, "{\"detail\":[{\"loc\":[\"body\",\"messages\"],\"msg\":\"field required\"}]}", "application/json");
    assertThat(fastapi.getMessage()).contains("field required");
  }

  @Test
  void neverQuotesHtmlAndMasksKeys() {
    UpstreamException html = parse(502, "<html><body>Bad Gateway</body></html>", "text/html; charset=utf-8");
    assertThat(html.getMessage()).isEqualTo("answered HTTP 502 with a text/html body of 37 bytes instead of a JSON error (backend default/b, HTTP 502)");
    UpstreamException leak = parse(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-live-abcdef123456\"}}", "application/json");
    assertThat(leak.getMessage()).doesNotContain("abcdef123456");
    assertThat(parse(500, "", "").getMessage()).contains("with an empty body");
  }

  @Test
  void readsRetryAfterInEveryForm() {
    assertThat(UpstreamErrors.retryAfter("2", null)).isEqualTo(Duration.ofSeconds(2));
    assertThat(UpstreamErrors.retryAfter("0.5", null)).isEqualTo(Duration.ofMillis(500));
    assertThat(UpstreamErrors.retryAfter("9", "250")).isEqualTo(Duration.ofMillis(250));
    String date = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30).format(DateTimeFormatter.RFC_1123_DATE_TIME);
    assertThat(UpstreamErrors.retryAfter(date, null)).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(31));
    assertThat(UpstreamErrors.retryAfter("soon", null)).isNull();
    assertThat(UpstreamErrors.retryAfter(null, null)).isNull();
  }

  @Test
  void masksKeyShapedTextEverywhere() {
    assertThat(SecretMasker.mask("key sk-proj-abcdefghijk and Bearer xyz.123 and ?key=AIzaSyA1234567890123456789012 done",
        dev.switchboard.config.SecretValue.empty()))
        .isEqualTo("key sk-**** and Bearer **** and ?key=**** done");
    assertThat(SecretMasker.mask("plain words stay", dev.switchboard.config.SecretValue.of("word"))).isEqualTo("plain ****s stay");
  }
}
