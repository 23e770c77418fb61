package dev.switchboard.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The fleet's sum of ClientKey usage, across proxy restarts, operator restarts and periods. */
class UsageLedgerTest {
  private static final Instant MAY = Instant.parse("2026-05-01T00:00:00Z");
  private static final Instant JUNE = Instant.parse("2026-06-01T00:00:00Z");
  private static final BiFunction<String, Instant, Optional<Usage>> NOTHING = (id, p) -> Optional.empty();

  private static Usage used(Instant period, long requests, double cost) {
    return new Usage(period, requests, requests * 10, requests * 5, cost, Optional.empty());
  }

  private static ProxyReport report(String proxy, boolean fleet, Usage usage) {
    return new ProxyReport(proxy, Optional.of("v1"), List.of(), List.of(new ProxyReport.Client("ns/team", fleet, usage)), false);
  }

  @Test
  void ownCountersAddUpAcrossProxiesAndRounds() {
    UsageLedger ledger = new UsageLedger();
    ledger.fold(List.of(report("a", false, used(MAY, 2, 0.2)), report("b", false, used(MAY, 3, 0.3))), NOTHING);
    assertThat(ledger.usage("ns/team").orElseThrow().requests()).isEqualTo(5);
    ledger.fold(List.of(report("a", false, used(MAY, 4, 0.4)), report("b", false, used(MAY, 3, 0.3))), NOTHING);
    assertThat(ledger.usage("ns/team").orElseThrow().requests()).as("a's 2 more").isEqualTo(7);
    assertThat(ledger.usage("ns/team").orElseThrow().costUsd()).isEqualTo(0.7, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void aRestartedProxyStartsFromZeroAndNothingIsLostOrCountedTwice() {
    UsageLedger ledger = new UsageLedger();
    ledger.fold(List.of(report("a", false, used(MAY, 5, 0.5))), NOTHING);
    ledger.fold(List.of(report("a", false, used(MAY, 1, 0.1))), NOTHING);
    assertThat(ledger.usage("ns/team").orElseThrow().requests()).as("5, then 1 after the restart").isEqualTo(6);
  }

  @Test
  void afterAnOperatorRestartTheStatusIsTheStartAndFirstReportsAreInIt() {
    UsageLedger ledger = new UsageLedger();
    BiFunction<String, Instant, Optional<Usage>> status = (id, p) -> p.equals(MAY) ? Optional.of(used(MAY, 9, 0.9)) : Optional.empty();
    ledger.fold(List.of(report("a", false, used(MAY, 4, 0.4))), status);
    assertThat(ledger.usage("ns/team").orElseThrow().requests()).as("a's 4 are in the status's 9").isEqualTo(9);
    ledger.fold(List.of(report("a", false, used(MAY, 6, 0.6))), status);
    assertThat(ledger.usage("ns/team").orElseThrow().requests()).isEqualTo(11);
  }

  @Test
  void aNewPeriodStartsFromZero() {
    UsageLedger ledger = new UsageLedger();
    ledger.fold(List.of(report("a", false, used(MAY, 5, 0.5))), NOTHING);
    ledger.fold(List.of(report("a", false, used(JUNE, 1, 0.1))), NOTHING);
    assertThat(ledger.usage("ns/team").orElseThrow()).isEqualTo(used(JUNE, 1, 0.1));
  }

  @Test
  void aSharedStoresSumIsTakenAsItIsNotAddedPerProxy() {
    UsageLedger ledger = new UsageLedger();
    ledger.fold(List.of(report("a", true, used(MAY, 7, 0.7)), report("b", true, used(MAY, 7, 0.7))), NOTHING);
    assertThat(ledger.usage("ns/team").orElseThrow().requests()).isEqualTo(7);
    ledger.fold(List.of(report("b", true, used(MAY, 8, 0.8))), NOTHING);
    assertThat(ledger.all()).containsEntry("ns/team", used(MAY, 8, 0.8));
    assertThat(Map.copyOf(ledger.all())).hasSize(1);
  }
}
