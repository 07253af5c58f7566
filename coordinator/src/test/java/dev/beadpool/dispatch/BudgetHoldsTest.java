package dev.beadpool.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.bead.Bead;
import dev.beadpool.config.BudgetConfig;
import dev.beadpool.dispatch.budget.BudgetHold;
import dev.beadpool.dispatch.lease.LeaseCheck;
import dev.beadpool.dispatch.testhelper.DutiesOnSettableClock;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.Heartbeat;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.protocol.Usage;
import dev.beadpool.store.NewBead;
import dev.beadpool.store.RunLedger;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Budgets before dispatch, on a settable clock over a real store: what an epic's, a profile's or
 * the day's spend holds back, what raising the budget in beadpool.yaml releases, and the bead cap.
 */
class BudgetHoldsTest extends DutiesOnSettableClock {
  Path config;

  @Override
  protected CoordinatorSettings.Builder settings(CoordinatorSettings.Builder defaults) {
    config = dir.resolve("beadpool.yaml");
    try {
      Files.writeString(config, "budgets:\n  epic: {usd: 1.00}\n  bead: {usd: 5.00}\n");
      return defaults.maxInFlight(1).configFile(config).budgets(BudgetConfig.loadFile(config));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Bead child(String title, String parent) {
    return child(title, parent, 2);
  }

  Bead child(String title, String parent, int priority) {
    return store.create(
        new NewBead(title, null, null, priority, List.of(), parent, List.of(), null, null), "test");
  }

  Bead epic(String title) {
    return store.create(
        new NewBead(title, null, "epic", 2, List.of(), null, List.of(), null, null), "test");
  }

  static Usage dollars(String cost) {
    return new Usage(100L, 10L, new BigDecimal(cost), "m");
  }

  /** One tick of the coordinator's timer, as it runs it (the broker down: nothing to republish). */
  void tick() {
    clock.advance(LEASE_CHECK);
    new LeaseCheck(
            duties.lock(),
            clock,
            duties.lifecycle(),
            () -> false,
            duties.expiry(),
            duties.publisher(),
            duties.queue(),
            duties.stalls(),
            duties.flush(),
            duties.budgetFile(),
            duties.pauses())
        .run();
  }

  /** Runs the bead's dispatched run to done, reporting {@code cost}. */
  void done(String beadId, String cost) {
    ClaimReply c = claim(beadId, "w-1");
    finish(
        RunResult.succeeded(beadId, c.run(), c.leaseId(), "w-1", null, "", "")
            .withUsage(dollars(cost)));
  }

  void writeConfig(String yaml) throws Exception {
    Files.writeString(config, yaml);
    // why: a file rewritten within the same clock tick of the file system still reads as changed
    Files.setLastModifiedTime(
        config, FileTime.fromMillis(Files.getLastModifiedTime(config).toMillis() + 2_000));
  }

  PoolStatus status() {
    synchronized (duties.lock()) {
      return new LiveView(duties).status(0, null);
    }
  }

  PoolEvent snapshot(String beadId) {
    synchronized (duties.lock()) {
      return new LiveView(duties).snapshot(beadId);
    }
  }

  @Test
  void anEpicOverItsBudgetHoldsItsRemainingBeadsAndRaisingTheBudgetReleasesThem() throws Exception {
    Bead epic = epic("app");
    Bead first = child("first", epic.id(), 0);
    Bead second = child("second", epic.id(), 1);
    Bead outside = child("outside", null, 3);
    start();
    assertThat(inFlight(first.id())).as("max-in-flight 1: the first child goes first").isNotNull();
    PoolEvents.Subscription watcher = watch(second.id());

    done(first.id(), "1.20");

    assertThat(inFlight(second.id())).as("held: the epic spent its budget").isNull();
    assertThat(inFlight(outside.id())).as("a bead outside the epic runs").isNotNull();
    String why = "epic " + epic.id() + " spent $1.20 of $1.00";
    assertThat(status().budgetHolds()).containsExactly(new BudgetHold(why, 1));
    assertThat(snapshot(second.id()).detail()).isEqualTo("held: " + why);

    done(outside.id(), "0.50");
    tick();
    tick();
    assertThat(inFlight(second.id())).as("still held after ticks").isNull();
    assertThat(received(watcher))
        .filteredOn(e -> e.type().equals(PoolEvent.HELD))
        .as("one held event for the hold, not one per pump")
        .extracting(PoolEvent::detail)
        .containsExactly(why);

    writeConfig("budgets:\n  epic: {usd: 50}\n  bead: {usd: 5.00}\n");
    tick();

    assertThat(inFlight(second.id())).as("released by the raise, without a restart").isNotNull();
    assertThat(status().budgetHolds()).isEmpty();
  }

  @Test
  void aBrokenFileKeepsTheBudgetsInForce() throws Exception {
    Bead epic = epic("app");
    Bead first = child("first", epic.id(), 0);
    Bead second = child("second", epic.id());
    start();
    done(first.id(), "2");

    writeConfig("budgets:\n  epic: {usd: lots}\n");
    tick();

    assertThat(inFlight(second.id())).isNull();
    assertThat(duties.budget().budgets().epic().usd()).isEqualByComparingTo("1.00");
  }

  @Test
  void aRestartedCoordinatorKeepsTheSpentFiguresAndTheHold() {
    Bead epic = epic("app");
    Bead first = child("first", epic.id(), 0);
    Bead second = child("second", epic.id());
    start();
    done(first.id(), "1.00");
    assertThat(inFlight(second.id())).isNull();

    restart();

    assertThat(inFlight(second.id())).isNull();
    assertThat(status().budgetHolds())
        .extracting(BudgetHold::why)
        .containsExactly("epic " + epic.id() + " spent $1.00 of $1.00");
  }

  @Test
  void aBeadOverItsOwnCapGetsAFailureBeadAndNoFurtherAttempt() {
    Bead a = bead("a");
    start();
    ClaimReply c = claim(a.id(), "w-1");
    finish(
        RunResult.failed(a.id(), c.run(), c.leaseId(), "w-1", 1, "boom", "", "")
            .withUsage(dollars("5.20")));

    tickFor(BACKOFF.multipliedBy(4));

    assertThat(inFlight(a.id())).as("no further attempt").isNull();
    assertThat(duties.ledger().runs(a.id())).hasSize(1);
    assertThat(status().failureBeads()).isEqualTo(1);
    Bead failure = store.openWithLabel(RunLedger.FAILURE_LABEL).stream().findFirst().orElseThrow();
    assertThat(failure.title()).contains("spent $5.20 of its $5.00 cap");
  }

  @Test
  void aHeartbeatsUsageSoFarCountsTowardTheEpicBeforeTheResult() {
    Bead epic = epic("app");
    Bead first = child("first", epic.id(), 0);
    Bead second = child("second", epic.id());
    start();
    ClaimReply c = claim(first.id(), "w-1");
    duties
        .heartbeats()
        .heartbeat(Heartbeat.of(first.id(), c.run(), c.leaseId(), "w-1").withUsage(dollars("3")));

    finish(RunResult.released(first.id(), c.run(), c.leaseId(), "w-1", "usage limit"));

    assertThat(duties.ledger().spend(first.id()).costUsd()).isEqualByComparingTo("3");
    assertThat(inFlight(first.id())).isNull();
    assertThat(inFlight(second.id())).isNull();
    assertThat(status().budgetHolds()).extracting(BudgetHold::beads).containsExactly(2);
  }

  @Test
  void theDaysBudgetHoldsEverythingUntilTheNextUtcDay() throws Exception {
    writeConfig("budgets:\n  day: {usd: 1}\n");
    tick();
    Bead a = bead("a");
    Bead b = bead("b");
    start();
    String firstId = inFlight(a.id()) != null ? a.id() : b.id();
    String otherId = firstId.equals(a.id()) ? b.id() : a.id();
    done(firstId, "1");
    assertThat(inFlight(otherId)).isNull();
    assertThat(status().budgetHolds())
        .extracting(BudgetHold::why)
        .containsExactly("the pool spent $1.00 of $1.00 today (2026-11-21 UTC)");

    clock.advance(Duration.ofHours(12));
    tick();

    assertThat(inFlight(otherId)).isNotNull();
  }
}
