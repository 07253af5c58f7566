package dev.beadpool.dispatch.pause;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beadpool.bead.Bead;
import dev.beadpool.config.AgentConfig;
import dev.beadpool.dispatch.Duties;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.PoolEvents;
import dev.beadpool.dispatch.testhelper.DutiesOnSettableClock;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.ClaimRequest;
import dev.beadpool.protocol.LeaseSecret;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.protocol.UsageLimit;
import dev.beadpool.protocol.WorkerPresence;
import dev.beadpool.store.NewBead;
import dev.beadpool.store.Pause;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunState;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Pauses on a settable clock over a real store: a usage limit pauses its profile across the pool
 * (no attempt spent, its queued beads held, claims of its dispatched runs refused, other profiles
 * untouched) until the reset plus the margin; a fallback takes the held beads; a pause by hand
 * stops all dispatch; pauses outlive a restart. Each pause is said once when it begins and once
 * when it ends.
 */
class PausesTest extends DutiesOnSettableClock {
  static final Duration MARGIN = Duration.ofSeconds(10);

  @Override
  protected AgentConfig agents() throws Exception {
    Files.writeString(
        dir.resolve("beadpool.yaml"),
        """
        profiles:
          claude:
            command: [claude]
            limit:
              margin: 10s
          gpt:
            command: [gpt]
            fallback: codex
            limit:
              margin: 0s
          codex:
            command: [codex]
        routing:
          - label: claude
            profile: claude
          - label: gpt
            profile: gpt
        default-profile: codex
        """);
    return AgentConfig.load(dir);
  }

  /** A worker serving every profile, so no profile counts as unserved (one bead each). */
  @Override
  protected void start() {
    workerLives();
    super.start();
  }

  private void workerLives() {
    synchronized (duties.lock()) {
      duties
          .workers()
          .presence(
              WorkerPresence.of("w-1", List.of("claude", "gpt", "codex"), 8, 0, List.of(), false));
    }
  }

  private Bead labelled(String title, String label) {
    return store.create(
        new NewBead(title, null, null, 2, List.of(label), null, List.of(), null, null), "test");
  }

  /** The worker holding the bead's run says its agent hit its usage limit, resetting at until. */
  private void limitHit(String beadId, ClaimReply claim, String worker, Instant until) {
    RunResult result =
        RunResult.released(beadId, claim.run(), claim.leaseId(), worker, "usage limit")
            .withLimit(new UsageLimit(until, "You've hit your limit · resets soon"))
            .signed(secretOf(claim.run()));
    duties.results().apply(List.of(result));
  }

  /** A claim of the bead's dispatched run, whatever the answer. */
  private ClaimReply tryClaim(String beadId, String worker) {
    Run run = inFlight(beadId);
    return duties
        .claims()
        .claim(ClaimRequest.of(beadId, run.run(), worker, LeaseSecret.generate()));
  }

  private void tick() {
    synchronized (duties.lock()) {
      duties.pauses().check(clock.instant());
      duties.queue().pump();
      duties.flush().flush();
    }
  }

  private List<Pause> inForce() {
    synchronized (duties.lock()) {
      return duties.pauses().all();
    }
  }

  private static List<PoolEvent> pauseEvents(List<PoolEvent> events) {
    return events.stream()
        .filter(e -> e.type().equals(PoolEvent.PAUSED) || e.type().equals(PoolEvent.RESUMED))
        .toList();
  }

  @Test
  void aUsageLimitPausesItsProfilePoolWideUntilTheResetPlusItsMarginWithNoAttemptSpent()
      throws Exception {
    Bead first = labelled("hits the limit", "claude");
    Bead second = labelled("dispatched before the limit", "claude");
    Bead other = bead("another profile");
    start();
    PoolEvents.Subscription all = duties.events().open(Set.of());
    Instant reset = clock.instant().plusSeconds(2);

    limitHit(first.id(), claim(first.id(), "w-1"), "w-1", reset);

    assertThat(store.get(first.id()).status()).isEqualTo("open");
    assertThat(duties.ledger().failures(first.id())).isZero();
    assertThat(inFlight(first.id())).as("held in the queue, not dispatched").isNull();
    assertThat(duties.ledger().runs(first.id()))
        .singleElement()
        .satisfies(r -> assertThat(r.state()).isEqualTo(RunState.RELEASED));
    assertThat(inForce())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.scope()).isEqualTo("claude");
              assertThat(p.until()).isEqualTo(reset.plus(MARGIN));
              assertThat(p.run()).isEqualTo(duties.ledger().runs(first.id()).get(0).run());
              assertThat(p.worker()).isEqualTo("w-1");
            });

    ClaimReply refused = tryClaim(second.id(), "w-2");
    assertThat(refused.granted()).isFalse();
    assertThat(refused.reason()).startsWith("profile claude paused until 12:00:12 UTC");
    assertThat(inFlight(second.id())).as("released back to the queue").isNull();
    assertThat(duties.ledger().failures(second.id())).isZero();
    assertThat(claim(other.id(), "w-2").granted()).as("other profiles run on").isTrue();

    for (int s = 0; s < 11; s++) {
      clock.advance(Duration.ofSeconds(1));
      tick();
      assertThat(inFlight(first.id())).as("at +%ds", s + 1).isNull();
      assertThat(inFlight(second.id())).as("at +%ds", s + 1).isNull();
    }
    clock.advance(Duration.ofSeconds(1));
    tick();

    assertThat(inFlight(first.id()).profile()).isEqualTo("claude");
    assertThat(inFlight(second.id()).profile()).isEqualTo("claude");
    assertThat(inFlight(first.id()).attempt()).isEqualTo(1);
    assertThat(inForce()).isEmpty();
    List<PoolEvent> said = pauseEvents(received(all));
    assertThat(said).extracting(PoolEvent::type).containsExactly("paused", "resumed");
    assertThat(said.get(0).detail())
        .isEqualTo(
            "profile claude paused until 12:00:12 UTC: usage limit, seen in run "
                + said.get(0).run()
                + " on w-1");
    assertThat(said.get(0).profile()).isEqualTo("claude");
    assertThat(said.get(0).beadId()).isNull();
  }

  @Test
  void aLimitInsideThePauseSaysNothingNewAndALaterResetExtendsIt() throws Exception {
    Bead a = labelled("a", "claude");
    Bead b = labelled("b", "claude");
    Bead c = labelled("c", "claude");
    start();
    ClaimReply claimA = claim(a.id(), "w-1");
    ClaimReply claimB = claim(b.id(), "w-2");
    ClaimReply claimC = claim(c.id(), "w-3");
    PoolEvents.Subscription all = duties.events().open(Set.of());
    Instant reset = clock.instant().plus(Duration.ofMinutes(5));

    limitHit(a.id(), claimA, "w-1", reset);
    limitHit(b.id(), claimB, "w-2", reset.minusSeconds(60));
    assertThat(inForce())
        .singleElement()
        .satisfies(p -> assertThat(p.until()).isEqualTo(reset.plus(MARGIN)));

    limitHit(c.id(), claimC, "w-3", reset.plusSeconds(60));

    assertThat(inForce())
        .singleElement()
        .satisfies(p -> assertThat(p.until()).isEqualTo(reset.plusSeconds(60).plus(MARGIN)));
    assertThat(pauseEvents(received(all))).extracting(PoolEvent::type).containsExactly("paused");
    for (Bead bead : List.of(a, b, c)) {
      assertThat(duties.ledger().failures(bead.id())).isZero();
      assertThat(inFlight(bead.id())).isNull();
    }
  }

  @Test
  void aResetInThePastOrFarAheadIsBoundedSoRunsNeitherLoopNorWaitForever() throws Exception {
    Bead a = labelled("a", "gpt");
    Bead b = labelled("b", "claude");
    start();
    ClaimReply claimA = claim(a.id(), "w-1");
    ClaimReply claimB = claim(b.id(), "w-1");

    limitHit(a.id(), claimA, "w-1", clock.instant().minusSeconds(3600));
    limitHit(b.id(), claimB, "w-1", Instant.parse("2999-01-01T00:00:00Z"));

    assertThat(inForce())
        .extracting(Pause::scope, Pause::until)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "claude", clock.instant().plus(LimitPauses.MAX_PAUSE)),
            org.assertj.core.groups.Tuple.tuple(
                "gpt", clock.instant().plus(LimitPauses.MIN_PAUSE)));
  }

  @Test
  void withAFallbackTheHeldBeadsRunOnTheFallbackProfile() throws Exception {
    Bead first = labelled("hits the limit", "gpt");
    Bead second = labelled("dispatched before", "gpt");
    start();

    limitHit(first.id(), claim(first.id(), "w-1"), "w-1", clock.instant().plusSeconds(60));
    assertThat(tryClaim(second.id(), "w-2").granted()).isFalse();
    Bead third = labelled("ready during the pause", "gpt");
    synchronized (duties.lock()) {
      duties.graph().put(third);
      duties.queue().consider(third.id());
      duties.queue().pump();
      duties.flush().flush();
    }

    for (Bead bead : List.of(first, second, third)) {
      Run run = inFlight(bead.id());
      assertThat(run).as(bead.title()).isNotNull();
      assertThat(run.profile()).as(bead.title()).isEqualTo("codex");
      assertThat(duties.ledger().failures(bead.id())).isZero();
    }
    assertThat(claim(second.id(), "w-2").granted()).isTrue();
  }

  @Test
  void pausingThePoolStopsNewDispatchAtOnceWhileRunningRunsFinishAndResumeRestartsIt()
      throws Exception {
    Bead running = bead("running");
    Bead dispatched = bead("dispatched");
    start();
    ClaimReply held = claim(running.id(), "w-1");
    PoolEvents.Subscription all = duties.events().open(Set.of());

    synchronized (duties.lock()) {
      duties.handPauses().pause(null, null, "planned outage", "alice");
    }
    Bead later = bead("created during the pause");
    synchronized (duties.lock()) {
      duties.graph().put(later);
      duties.queue().consider(later.id());
      duties.queue().pump();
      duties.flush().flush();
    }

    assertThat(tryClaim(dispatched.id(), "w-2").granted()).isFalse();
    assertThat(inFlight(dispatched.id())).isNull();
    assertThat(inFlight(later.id())).isNull();
    RunResult done =
        RunResult.succeeded(running.id(), held.run(), held.leaseId(), "w-1", "done", "", "")
            .signed(secretOf(held.run()));
    duties.results().apply(List.of(done));
    assertThat(store.get(running.id()).status()).isEqualTo("closed");
    tickFor(Duration.ofHours(1));
    assertThat(inFlight(dispatched.id())).as("a pause without an end holds").isNull();

    workerLives();
    synchronized (duties.lock()) {
      assertThat(duties.handPauses().resume(null, "bob")).isPresent();
    }

    assertThat(inFlight(dispatched.id())).isNotNull();
    assertThat(inFlight(later.id())).isNotNull();
    assertThat(pauseEvents(received(all)))
        .extracting(PoolEvent::type, PoolEvent::detail)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "paused", "the pool paused until resumed: planned outage, by alice"),
            org.assertj.core.groups.Tuple.tuple(
                "resumed", "the pool resumed by bob (it was paused until resumed)"));
  }

  @Test
  void aPauseOutlivesARestartAndEndsAtStartIfItsTimePassedMeanwhile() throws Exception {
    Bead bead = labelled("held", "claude");
    start();
    limitHit(bead.id(), claim(bead.id(), "w-1"), "w-1", clock.instant().plusSeconds(50));
    Instant until = clock.instant().plusSeconds(60);

    Duties restarted = Duties.wire(store, duties.settings(), clock);
    synchronized (restarted.lock()) {
      restarted.recovery().restore();
      restarted.flush().flush();
      assertThat(restarted.pauses().all())
          .singleElement()
          .satisfies(p -> assertThat(p.until()).isEqualTo(until));
      assertThat(restarted.inFlight().get(bead.id())).isNull();
    }

    clock.advance(Duration.ofMinutes(5));
    Duties later = Duties.wire(store, duties.settings(), clock);
    PoolEvents.Subscription all = later.events().open(Set.of());
    synchronized (later.lock()) {
      later.recovery().restore();
      later.flush().flush();
      assertThat(later.pauses().all()).isEmpty();
      assertThat(later.inFlight().get(bead.id())).isNotNull();
    }
    assertThat(pauseEvents(received(all))).extracting(PoolEvent::type).containsExactly("resumed");
    assertThat(new dev.beadpool.store.PauseRows(store).all()).isEmpty();
  }

  @Test
  void aPauseByHandNamesAKnownProfileAndAnEndInTheFuture() {
    start();
    synchronized (duties.lock()) {
      assertThatThrownBy(() -> duties.handPauses().pause("claud", null, null, "alice"))
          .hasMessage("no profile 'claud' in beadpool.yaml (profiles: claude, codex, gpt)");
      assertThatThrownBy(
              () ->
                  duties
                      .handPauses()
                      .pause("claude", clock.instant().minusSeconds(1), null, "alice"))
          .hasMessageStartingWith("until must be in the future");
      Pause p = duties.handPauses().pause("claude", clock.instant().plusSeconds(60), null, "al");
      assertThat(p.reason()).isEqualTo(HandPauses.DEFAULT_REASON);
    }
  }

  @Test
  void anEndIsADurationOrAnIsoTime() {
    Instant now = Instant.parse("2026-11-29T12:00:00Z");
    assertThat(PauseEnd.parse("2h", now)).isEqualTo(Instant.parse("2026-11-29T14:00:00Z"));
    assertThat(PauseEnd.parse("2026-11-29T16:00+01:00", now))
        .isEqualTo(Instant.parse("2026-11-29T15:00:00Z"));
    assertThat(PauseEnd.parse(null, now)).isNull();
    assertThatThrownBy(() -> PauseEnd.parse("tomorrow", now))
        .hasMessageContaining("a duration (30m, 2h) or an ISO time");
    assertThatThrownBy(() -> PauseEnd.parse("2026-11-29T11:00:00Z", now))
        .hasMessageContaining("in the future");
    assertThatThrownBy(() -> PauseEnd.parse("99999999999999h", now))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pauseTimesReadAsPeopleWriteThem() {
    Instant now = Instant.parse("2026-11-29T12:00:00Z");
    assertThat(PauseText.until(Instant.parse("2026-11-29T15:00:00Z"), now))
        .isEqualTo("until 15:00 UTC");
    assertThat(PauseText.until(Instant.parse("2026-11-29T15:00:02Z"), now))
        .isEqualTo("until 15:00:02 UTC");
    assertThat(PauseText.until(Instant.parse("2026-11-30T15:00:00Z"), now))
        .isEqualTo("until 2026-11-30 15:00 UTC");
    assertThat(PauseText.until(null, now)).isEqualTo("until resumed");
  }
}
