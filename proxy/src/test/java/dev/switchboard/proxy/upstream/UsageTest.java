package dev.switchboard.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Cost from usage: cached input tokens at the model's cached price when it has one. */
class UsageTest {
  @Test
  void cachedInputIsPricedAtTheCachedPrice() {
    Usage usage = new Usage(1_000_000, 100_000, 0, 400_000);

    // 600k input at $3, 400k cached at $0.30, 100k output at $15
    assertThat(usage.costUsd(3.0, 15.0, 0.30)).isCloseTo(1.8 + 0.12 + 1.5, within(1e-9));
  }

  @Test
  void withoutACachedPriceCachedTokensCostTheInputPrice() {
    assertThat(new Usage(1_000_000, 0, 0, 400_000).costUsd(3.0, 15.0, 0)).isCloseTo(3.0, within(1e-9));
  }

  @Test
  void moreCachedThanPromptTokensNeverMakesACostNegative() {
    assertThat(new Usage(10, 0, 0, 50).costUsd(3.0, 15.0, 0.3)).isCloseTo(10 * 0.3 / 1e6, within(1e-12));
  }
}
