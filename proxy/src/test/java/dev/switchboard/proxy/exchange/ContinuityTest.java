package dev.switchboard.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The continuity token, the issuer rule and the store's bounds, without sockets. */
class ContinuityTest {
  private static final Continuity TURN = Continuity.of("default/claude",
      List.of(ReasoningBlock.thinking("I should call \"get_weather\" caf\u00e9", "sig=="), ReasoningBlock.redacted("EmwK")));

  @Test
  void aTokenRoundTripsAndKeepsItsIssuer() {
    String token = ContinuityToken.encode(TURN);

    assertThat(ContinuityToken.decode(token)).contains(TURN);
    assertThat(TURN.forBackend("default/claude")).isEqualTo(TURN);
    assertThat(TURN.forBackend("default/claude-eu").isEmpty()).as("another backend gets nothing").isTrue();
  }

  @Test
  void anythingThatIsNotATokenIsAbsentNotAnError() {
    assertThat(ContinuityToken.decode("sb1.abc.!!!")).isEmpty();
    assertThat(ContinuityToken.decode("sb1.abc.W1siTk9QRSJdXQ")).isEmpty(); // [["NOPE"]]: an unknown kind
    assertThat(ContinuityToken.decode("skip_thought_signature_validator")).isEmpty();
    assertThat(ContinuityToken.unwrap("skip_thought_signature_validator").issuer()).isEmpty();
    assertThat(ContinuityToken.unwrap(ContinuityToken.wrap("abc", "sig")).value()).isEqualTo("sig");
  }

  @Test
  void theStoreIsScopedPerClientAndBoundedByWhatItHolds() {
    ContinuityStore store = new ContinuityStore(TURN.weight() * 4 + 200, Duration.ofHours(1));
    store.remember("client-a", List.of("toolu_1", "toolu_2"), TURN);

    assertThat(store.recall("client-a", "toolu_2")).contains(TURN);
    assertThat(store.recall("client-b", "toolu_2")).as("another client's scope").isEmpty();
    for (int i = 0; i < 20; i++) {
      store.remember("client-a", List.of("later_" + i), TURN);
    }
    assertThat(store.held()).isLessThanOrEqualTo(TURN.weight() * 4 + 200);
    assertThat(store.recall("client-a", "toolu_1")).as("the oldest went first").isEmpty();
    assertThat(store.recall("client-a", "later_19")).contains(TURN);
  }

  @Test
  void entriesExpire() {
    ContinuityStore store = new ContinuityStore(1 << 20, Duration.ZERO);
    store.remember("", List.of("toolu_1"), TURN);

    assertThat(store.recall("", "toolu_1")).isEmpty();
  }
}
