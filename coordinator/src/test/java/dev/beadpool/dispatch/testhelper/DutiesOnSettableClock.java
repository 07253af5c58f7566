package dev.beadpool.dispatch.testhelper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.bead.Bead;
import dev.beadpool.config.AgentConfig;
import dev.beadpool.dispatch.Backoff;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.dispatch.Duties;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.PoolEvents;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.ClaimRequest;
import dev.beadpool.protocol.LeaseSecret;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.NewBead;
import dev.beadpool.store.Run;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's duties over a real store in a temporary directory, on a {@link SettableClock},
 * with no broker: a test calls a duty directly (a lease check, a result, a stall check) and moves
 * the clock instead of waiting. Leases last 30 s and are checked every second; retries back off 5
 * s, doubling, without jitter.
 */
public abstract class DutiesOnSettableClock {
  protected static final Duration LEASE = Duration.ofSeconds(30);
  protected static final Duration LEASE_CHECK = Duration.ofSeconds(1);
  protected static final Duration BACKOFF = Duration.ofSeconds(5);

  @TempDir protected Path dir;
  protected final SettableClock clock = new SettableClock(Instant.parse("2026-11-21T12:00:00Z"));
  protected BeadStore store;
  protected Duties duties;
  protected CoordinatorSettings settings;
  private final Map<Long, LeaseSecret> secrets = new HashMap<>();

  @BeforeEach
  void wireDuties() throws Exception {
    store = BeadStore.open(dir.resolve("beads.db"), clock);
    settings =
        settings(
                CoordinatorSettings.builder(BrokerSettings.anonymous("tcp://localhost:1"))
                    .lease(LEASE)
                    .leaseCheck(LEASE_CHECK)
                    .backoff(new Backoff(BACKOFF, 2.0, Duration.ofMinutes(5), 0))
                    .agents(agents()))
            .build();
    duties = Duties.wire(store, settings, clock);
  }

  /** The settings a test runs with: these defaults, changed by an override. */
  protected CoordinatorSettings.Builder settings(CoordinatorSettings.Builder defaults) {
    return defaults;
  }

  /** The coordinator restarts: the store opened again, the duties wired again over it. */
  protected void restart() {
    store.close();
    store = BeadStore.open(dir.resolve("beads.db"), clock);
    duties = Duties.wire(store, settings, clock);
    start();
  }

  /** The profiles and routing the duties run with; a test that needs some overrides this. */
  protected AgentConfig agents() throws Exception {
    return AgentConfig.NONE;
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  /** A bead with no dependencies, made in the store before the duties start. */
  protected Bead bead(String title) {
    return store.create(
        new NewBead(title, null, null, 2, List.of(), null, List.of(), null, null), "test");
  }

  /** What the coordinator does at start, short of the broker: restore, queue and dispatch. */
  protected void start() {
    synchronized (duties.lock()) {
      duties.recovery().restore();
      duties.flush().flush();
      duties.expiry().timerStarts(clock.instant());
    }
  }

  /** The run in flight of a bead, or null. */
  protected Run inFlight(String beadId) {
    synchronized (duties.lock()) {
      return duties.inFlight().get(beadId);
    }
  }

  /** Claims the bead's dispatched run for {@code worker}; asserts it is granted. */
  protected ClaimReply claim(String beadId, String worker) {
    Run run = inFlight(beadId);
    LeaseSecret secret = LeaseSecret.generate();
    secrets.put(run.run(), secret);
    ClaimReply reply = duties.claims().claim(ClaimRequest.of(beadId, run.run(), worker, secret));
    assertThat(reply.granted()).as("claim of %s granted", beadId).isTrue();
    return reply;
  }

  /** The secret a test's claim of {@code run} signs its results with. */
  protected LeaseSecret secretOf(long run) {
    return secrets.get(run);
  }

  /** The worker that holds the bead's run says its agent failed (signed as a worker signs it). */
  protected void agentFails(String beadId, ClaimReply claim, String worker) {
    RunResult result =
        RunResult.failed(beadId, claim.run(), claim.leaseId(), worker, 1, "exit 1", "", "")
            .signed(secrets.get(claim.run()));
    duties.results().apply(List.of(result));
  }

  /** The worker that holds the run sends this result, signed as a worker signs it. */
  protected void finish(RunResult unsigned) {
    duties.results().apply(List.of(unsigned.signed(secrets.get(unsigned.run()))));
  }

  /** The worker that holds the bead's run sends {@code result}, signed as a worker signs it. */
  protected void report(ClaimReply claim, RunResult result) {
    duties.results().apply(List.of(result.signed(secrets.get(claim.run()))));
  }

  /** One tick of the lease timer's lease check, at the clock's time now. */
  protected void leaseCheck() {
    synchronized (duties.lock()) {
      duties.expiry().check(clock.instant());
      duties.flush().flush();
    }
  }

  /** Moves the clock by {@code span}, one lease check per second, as the lease timer would. */
  protected void tickFor(Duration span) {
    for (long s = 0; s < span.toSeconds(); s++) {
      clock.advance(LEASE_CHECK);
      leaseCheck();
    }
  }

  /** Events of the bead from now on. */
  protected PoolEvents.Subscription watch(String beadId) {
    return duties.events().open(Set.of(beadId));
  }

  /** The events a watcher has received so far. */
  protected static List<PoolEvent> received(PoolEvents.Subscription watcher)
      throws InterruptedException {
    List<PoolEvent> events = new ArrayList<>();
    for (PoolEvent e = watcher.next(Duration.ZERO); e != null; e = watcher.next(Duration.ZERO)) {
      events.add(e);
    }
    return events;
  }
}
