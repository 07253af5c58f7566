package dev.beadpool.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.bead.Bead;
import dev.beadpool.config.BudgetConfig;
import dev.beadpool.protocol.LeaseSecret;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.protocol.Usage;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageRecordingTest extends StoreOnFixedClock {
  RunLedger ledger;

  /** A running run of the bead, with the secret its worker signs results with. */
  record Claimed(Run run, LeaseSecret secret) {
    RunResult succeeded() {
      return RunResult.succeeded(run.beadId(), run.run(), run.leaseId(), "w-1", null, "", "")
          .signed(secret);
    }

    RunResult failed() {
      return RunResult.failed(run.beadId(), run.run(), run.leaseId(), "w-1", 1, "boom", "", "")
          .signed(secret);
    }
  }

  Claimed claim(String beadId) {
    if (ledger == null) {
      ledger = new RunLedger(store);
    }
    Run run = ledger.dispatch(beadId, 0);
    LeaseSecret secret = LeaseSecret.generate();
    RunLedger.ClaimDecision d =
        ledger.claim(beadId, run.run(), "w-1", "lease-" + run.run(), secret.proof());
    assertThat(d.granted()).isTrue();
    return new Claimed(d.run(), secret);
  }

  Bead bead(String title, String parent) {
    return store.create(
        new NewBead(title, null, null, 2, List.of(), parent, List.of(), null, null), "test");
  }

  static Usage usage(long in, long out, String cost) {
    return new Usage(in, out, new BigDecimal(cost), "claude-sonnet");
  }

  @Test
  void aResultsUsageIsRecordedOnItsRunAndTheBeadKeepsItsTotalInItsMetadata() {
    Bead a = bead("a", null);
    Claimed first = claim(a.id());
    ledger.apply(first.failed().withUsage(usage(1000, 200, "0.10")), 3);
    Claimed second = claim(a.id());
    ledger.apply(second.succeeded().withUsage(usage(3000, 400, "0.20")), 3);

    assertThat(ledger.runs(a.id()))
        .extracting(Run::usage)
        .containsExactly(usage(1000, 200, "0.10"), usage(3000, 400, "0.20"));
    Spend spend = ledger.spend(a.id());
    assertThat(spend.costUsd()).isEqualByComparingTo("0.30");
    assertThat(spend.costUsd().toPlainString()).isEqualTo("0.30");
    assertThat(spend.tokens()).isEqualTo(4600);
    var metadata = store.get(a.id()).metadata().path("usage");
    assertThat(metadata.path("input_tokens").asLong()).isEqualTo(4000);
    assertThat(metadata.path("output_tokens").asLong()).isEqualTo(600);
    assertThat(metadata.path("cost_usd").decimalValue()).isEqualByComparingTo("0.30");
  }

  @Test
  void aHeartbeatsFigureStandsUntilTheResultsReplacesIt() {
    Bead a = bead("a", null);
    Claimed c = claim(a.id());
    assertThat(ledger.usageSoFar(c.run().run(), c.run().leaseId(), usage(10, 1, "0.01"))).isTrue();
    assertThat(ledger.usageSoFar(c.run().run(), c.run().leaseId(), usage(10, 1, "0.01")))
        .as("the same figure again changes nothing")
        .isFalse();
    assertThat(ledger.usageSoFar(c.run().run(), "another-lease", usage(99, 9, "9.99")))
        .as("not the run's lease")
        .isFalse();
    assertThat(ledger.spend(a.id()).costUsd()).isEqualByComparingTo("0.01");

    ledger.apply(c.succeeded().withUsage(usage(50, 5, "0.05")), 3);
    assertThat(ledger.spend(a.id()).costUsd()).isEqualByComparingTo("0.05");
    assertThat(ledger.spend(a.id()).runs()).isEqualTo(1);
  }

  @Test
  void aResultThatReportsNothingKeepsTheLastHeartbeatsFigure() {
    Bead a = bead("a", null);
    Claimed c = claim(a.id());
    ledger.usageSoFar(c.run().run(), c.run().leaseId(), usage(10, 1, "0.07"));
    ledger.apply(c.failed(), 3);
    assertThat(ledger.spend(a.id()).costUsd()).isEqualByComparingTo("0.07");
  }

  @Test
  void aStaleResultsUsageIsNotRecorded() {
    Bead a = bead("a", null);
    Claimed c = claim(a.id());
    ledger.apply(c.succeeded().withUsage(usage(1, 1, "1.00")), 3);
    ledger.apply(c.succeeded().withUsage(usage(2, 2, "2.00")), 3);
    assertThat(ledger.spend(a.id()).costUsd()).isEqualByComparingTo("1.00");
  }

  @Test
  void costsSumExactlyPerBeadEpicProfileAndDay() {
    Bead epic = bead("epic", null);
    Bead feature = bead("feature", epic.id());
    Bead task = bead("task", feature.id());
    Bead other = bead("other", null);
    ledger = new RunLedger(store);
    ledger.apply(claim(task.id()).succeeded().withUsage(usage(100, 10, "0.1")), 3);
    ledger.apply(claim(feature.id()).succeeded().withUsage(usage(200, 20, "0.2")), 3);
    ledger.apply(claim(other.id()).succeeded().withUsage(usage(300, 30, "0.000001")), 3);

    CostReport byBead = ledger.costs(CostReport.By.BEAD);
    assertThat(byBead.lines())
        .extracting(CostReport.Line::key, l -> l.spend().costUsd().toPlainString())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(feature.id(), "0.2"),
            org.assertj.core.groups.Tuple.tuple(task.id(), "0.1"),
            org.assertj.core.groups.Tuple.tuple(other.id(), "0.000001"));
    assertThat(byBead.lines().get(0).title()).isEqualTo("feature");
    assertThat(byBead.total().costUsd().toPlainString()).isEqualTo("0.300001");
    assertThat(byBead.total().runs()).isEqualTo(3);

    CostReport byEpic = ledger.costs(CostReport.By.EPIC);
    assertThat(byEpic.lines())
        .extracting(CostReport.Line::key, l -> l.spend().costUsd().toPlainString())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(epic.id(), "0.3"),
            org.assertj.core.groups.Tuple.tuple(feature.id(), "0.3"));

    CostReport byProfile = ledger.costs(CostReport.By.PROFILE);
    assertThat(byProfile.lines()).hasSize(1);
    assertThat(byProfile.lines().get(0).key()).isEqualTo("default");
    assertThat(byProfile.lines().get(0).spend().tokens()).isEqualTo(660);

    CostReport byDay = ledger.costs(CostReport.By.DAY);
    assertThat(byDay.lines()).extracting(CostReport.Line::key).containsExactly("2026-11-21");
  }

  @Test
  void aBeadWhoseSpendReachesItsCapGetsAFailureBeadThatStatesSpendAndCap() {
    Bead a = bead("a", null);
    ledger = new RunLedger(store);
    BudgetConfig.Limit cap = new BudgetConfig.Limit(new BigDecimal("5.00"), null);
    RunLedger.Decision first =
        ledger.apply(claim(a.id()).failed().withUsage(usage(1, 1, "3.00")), 3, 10, cap);
    assertThat(first.effect()).isEqualTo(RunLedger.Effect.RETRY);

    RunLedger.Decision second =
        ledger.apply(claim(a.id()).failed().withUsage(usage(1, 1, "2.20")), 3, 10, cap);

    assertThat(second.effect()).isEqualTo(RunLedger.Effect.FAILURE_BEAD);
    Bead failure = store.get(second.failureBead());
    assertThat(failure.title()).isEqualTo("FAILURE: spent $5.20 of its $5.00 cap in " + a.id());
    assertThat(failure.text("description"))
        .contains("spent $5.20 of its $5.00 cap")
        .contains("$3.00, 2 tokens (claude-sonnet)")
        .contains("$2.20");
    assertThat(store.get(a.id()).dependencies())
        .anyMatch(d -> d.dependsOnId().equals(failure.id()));
  }

  @Test
  void aBeadDoneAtItsCapIsSimplyDone() {
    Bead a = bead("a", null);
    ledger = new RunLedger(store);
    BudgetConfig.Limit cap = new BudgetConfig.Limit(null, 100L);
    RunLedger.Decision d =
        ledger.apply(claim(a.id()).succeeded().withUsage(usage(500, 500, "1")), 3, 10, cap);
    assertThat(d.effect()).isEqualTo(RunLedger.Effect.CLOSED);
  }
}
