package dev.switchboard.proxy.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.SecretValue;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One function masks every text that leaves the proxy, before any cut. */
class SecretMaskerTest {
  private static final String KEY = "q9Zt4LmXw2Rv8KpBn6Yc";

  @AfterEach
  void forget() {
    SecretMasker.unregister("test");
  }

  @Test
  void knownSecretsAreMaskedWhereverTheyAppear() {
    SecretMasker.register("test", List.of(SecretValue.of(KEY)));
    assertThat(SecretMasker.mask("code=" + KEY + "; again:" + KEY)).isEqualTo("code=****; again:****");
    assertThat(SecretMasker.clean("{\"param\":\"" + KEY + "\"}", SecretMasker.MAX_FIELD)).doesNotContain(KEY.substring(0, 6));
  }

  @Test
  void aCutNeverLeavesTheStartOfAKey() {
    SecretMasker.register("test", List.of(SecretValue.of(KEY)));
    for (int pad = 1990; pad < 2000; pad++) {
      String text = "x".repeat(pad) + KEY + " tail";
      String cleaned = SecretMasker.clean(text);
      assertThat(cleaned.length()).isLessThanOrEqualTo(SecretMasker.MAX_MESSAGE);
      assertThat(cleaned).doesNotContain(KEY.substring(0, 6));
    }
    // Key-shaped text that no config holds is caught by shape, before the cut too.
    String shaped = "sk-proj-" + KEY;
    assertThat(SecretMasker.clean("y".repeat(1995) + shaped)).doesNotContain("sk-pro").doesNotContain(KEY.substring(0, 6));
  }

  @Test
  void headersAndBearerTokensAreMaskedByShape() {
    assertThat(SecretMasker.mask("sent x-api-key: abc123def456 and Authorization: Bearer tok.en"))
        .isEqualTo("sent x-api-key: **** and Authorization: Bearer ****");
  }

  @Test
  void apiErrorsCleanEveryField() {
    SecretMasker.register("test", List.of(SecretValue.of(KEY)));
    ApiError error = new ApiError(502, "t-" + KEY, "c-" + KEY, "p-" + KEY, "m-" + KEY + "\n" + "z".repeat(100_000));
    String body = new String(error.body(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(body).doesNotContain(KEY.substring(0, 6)).doesNotContain("\\n");
    assertThat(body.length()).isLessThan(SecretMasker.MAX_MESSAGE + 3 * SecretMasker.MAX_FIELD + 100);
  }

  @Test
  void quotesAreShortAndSayHowLongTheInputWas() {
    assertThat(Quote.of("1e999999999")).isEqualTo("1e999999999");
    String quoted = Quote.of("m".repeat(1_000_000));
    assertThat(quoted).hasSizeLessThan(100).endsWith("... (1000000 characters)");
  }
}
