package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.beadpool.bead.Bead;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.PoolEvents;
import dev.beadpool.store.NewBead;
import dev.beadpool.store.Pause;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Usage limits over a whole pool: real workers run shell-script agents, one of which prints a
 * usage-limit line the first time it runs. The run is released with no attempt spent, its profile
 * pauses on every worker until the reset, beads of other profiles keep running, a fallback takes
 * the held beads, and the pause is said once.
 */
class UsageLimitPoolTest extends AgentPoolHarness {
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger root;
  private final List<PoolEvent> events = new ArrayList<>();
  private PoolEvents.Subscription watcher;

  @BeforeEach
  void captureLogs() {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    root.detachAppender(logs);
  }

  /**
   * Profile {@code claude} (one run at a time over the pool) says "retry after N seconds" the first
   * time it runs, then works; {@code other} always works. Beads labelled claude go to claude.
   *
   * @param more more keys of profile claude, indented by four spaces
   */
  void configureLimit(int resetSeconds, String more) throws Exception {
    Path claude =
        agent(
            "claude",
            "if [ ! -f '"
                + dir.resolve("limit-hit")
                + "' ]; then : > '"
                + dir.resolve("limit-hit")
                + "'; echo 'API rate limited; retry after "
                + resetSeconds
                + " seconds'; exit 1; fi\nexit 0");
    Path other = agent("other", "exit 0");
    configure(
        """
        profiles:
          claude:
            command: [/bin/sh, %s]
            completion: exit-code
            max-in-flight: 1
            limit:
              patterns:
                - 'retry after (?<after>\\d+) seconds'
              margin: 0s
        %s
          other:
            command: [/bin/sh, %s]
            completion: exit-code
          backup:
            command: [/bin/sh, %s]
            completion: exit-code
        routing:
          - label: claude
            profile: claude
        default-profile: other
        """
            .formatted(claude, more, other, other));
  }

  /** The coordinator, watched from its start, then workers w-1 and w-2 serving every profile. */
  void startTwoWorkers() throws Exception {
    coordinator = new Coordinator(store, coordinatorSettings(3), Clock.systemUTC());
    coordinator.start();
    watcher = coordinator.events().open(Set.of());
    startWorker("w-1");
    startWorker("w-2");
  }

  List<PoolEvent> events() throws InterruptedException {
    for (PoolEvent e = watcher.next(Duration.ZERO); e != null; e = watcher.next(Duration.ZERO)) {
      events.add(e);
    }
    return events;
  }

  Pause awaitPause() {
    await().atMost(WAIT).until(() -> !coordinator.pauses().isEmpty());
    return coordinator.pauses().get(0);
  }

  /** The bead whose run hit the limit. */
  String limitedBead(Pause pause) {
    return coordinator.ledger().run(pause.run()).orElseThrow().beadId();
  }

  @Test
  void aUsageLimitPausesItsProfileOnEveryWorkerUntilTheResetWhileOtherProfilesRunOn()
      throws Exception {
    configureLimit(2, "");
    List<Bead> claude = List.of(bead("c1", null, "claude"), bead("c2", null, "claude"));
    bead("o1", null);
    startTwoWorkers();

    Pause pause = awaitPause();
    Bead during = coordinator.create(NewBead.titled("another profile, during the pause"), "test");
    awaitClosed(during.id());
    claude.forEach(b -> awaitClosed(b.id()));

    Instant until = pause.until();
    assertThat(pause.scope()).isEqualTo("claude");
    assertThat(pause.reason()).isEqualTo("usage limit");
    assertThat(pause.line()).isEqualTo("API rate limited; retry after 2 seconds");
    String limited = limitedBead(pause);
    assertThat(runs(limited))
        .extracting(Run::state, Run::attempt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(RunState.RELEASED, 1),
            org.assertj.core.groups.Tuple.tuple(RunState.SUCCEEDED, 1));
    for (Bead b : claude) {
      assertThat(coordinator.ledger().failures(b.id())).as(b.title()).isZero();
    }
    List<PoolEvent> claims =
        events().stream().filter(e -> e.type().equals(PoolEvent.CLAIMED)).toList();
    assertThat(claims)
        .filteredOn(e -> "claude".equals(e.profile()) && e.run() != pause.run())
        .as("claude runs claimed after the reset, on any worker")
        .hasSize(claude.size())
        .allSatisfy(e -> assertThat(Instant.parse(e.at())).isAfterOrEqualTo(until));
    assertThat(claims)
        .filteredOn(e -> e.beadId().equals(during.id()))
        .singleElement()
        .satisfies(e -> assertThat(Instant.parse(e.at())).isBefore(until));
    await().atMost(WAIT).until(() -> coordinator.pauses().isEmpty());
    assertThat(events())
        .filteredOn(e -> e.beadId() == null)
        .extracting(PoolEvent::type)
        .containsExactly(PoolEvent.PAUSED, PoolEvent.RESUMED);
    assertThat(logs.list)
        .filteredOn(e -> e.getFormattedMessage().startsWith("profile claude paused until"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getFormattedMessage())
                    .endsWith(
                        ": usage limit, seen in run " + pause.run() + " on " + pause.worker()));
  }

  @Test
  void withAFallbackTheHeldBeadsRunOnTheFallbackProfile() throws Exception {
    configureLimit(60, "    fallback: backup");
    List<Bead> claude =
        List.of(bead("c1", null, "claude"), bead("c2", null, "claude"), bead("c3", null, "claude"));
    startTwoWorkers();

    claude.forEach(b -> awaitClosed(b.id()));

    Pause pause = coordinator.pauses().get(0);
    assertThat(pause.scope()).isEqualTo("claude");
    String limited = limitedBead(pause);
    assertThat(runs(limited))
        .extracting(Run::state, Run::profile)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(RunState.RELEASED, "claude"),
            org.assertj.core.groups.Tuple.tuple(RunState.SUCCEEDED, "backup"));
    for (Bead b : claude) {
      assertThat(runs(b.id()))
          .filteredOn(r -> r.state() == RunState.SUCCEEDED)
          .singleElement()
          .satisfies(r -> assertThat(r.profile()).isEqualTo("backup"));
      assertThat(coordinator.ledger().failures(b.id())).isZero();
    }
  }

  @Test
  void aDispatchAlreadyOnTheBrokerDoesNotStartItsClaimIsRefusedWithNoAttemptSpent()
      throws Exception {
    // why this agent: the first claude run fails once, so its retry waits on the broker (a 1.5 s
    // backoff) while the other claude run hits the limit; the retry is claimed during the pause
    Path failer = dir.resolve("failer");
    Path claude =
        agent(
            "claude",
            ("if mkdir '%1$s/role-fail' 2>/dev/null; then echo \"$BEAD_ID\" > '%2$s'; exit 1; fi\n"
                    + "if [ \"$(cat '%2$s' 2>/dev/null)\" = \"$BEAD_ID\" ]; then exit 0; fi\n"
                    + "if mkdir '%1$s/role-limit' 2>/dev/null; then"
                    + " echo 'API rate limited; retry after 3 seconds'; exit 1; fi\n"
                    + "exit 0")
                .formatted(dir, failer));
    configure(
        """
        profiles:
          claude:
            command: [/bin/sh, %s]
            completion: exit-code
            limit:
              patterns:
                - 'retry after (?<after>\\d+) seconds'
              margin: 0s
        default-profile: claude
        """
            .formatted(claude));
    coordinator =
        new Coordinator(
            store,
            coordinatorSettings(3).toBuilder()
                .backoff(
                    new dev.beadpool.dispatch.Backoff(
                        Duration.ofMillis(1500), 2.0, Duration.ofSeconds(5), 0))
                .build(),
            Clock.systemUTC());
    coordinator.start();
    watcher = coordinator.events().open(Set.of());
    startWorker("w-1");
    startWorker("w-2");
    // why after the workers announce themselves: until then a profile gets one run on its queue
    await().atMost(WAIT).until(() -> coordinator.status().workers().size() == 2);
    List<Bead> beads =
        List.of(
            coordinator.create(NewBead.titled("a"), "test"),
            coordinator.create(NewBead.titled("b"), "test"));

    Pause pause = awaitPause();
    beads.forEach(b -> awaitClosed(b.id()));

    String retried = java.nio.file.Files.readString(failer).strip();
    assertThat(runs(retried))
        .extracting(Run::state)
        .containsExactly(RunState.FAILED, RunState.RELEASED, RunState.SUCCEEDED);
    assertThat(runs(retried).get(1).error()).startsWith("profile claude paused until");
    assertThat(coordinator.ledger().failures(retried)).as("the agent's own failure only").isOne();
    String limited = limitedBead(pause);
    assertThat(runs(limited))
        .extracting(Run::state)
        .containsExactly(RunState.RELEASED, RunState.SUCCEEDED);
    assertThat(coordinator.ledger().failures(limited)).isZero();
    long firstRun = Math.min(runs(retried).get(0).run(), runs(limited).get(0).run());
    assertThat(events())
        .filteredOn(e -> e.type().equals(PoolEvent.CLAIMED) && e.run() > firstRun + 1)
        .hasSize(2)
        .allSatisfy(e -> assertThat(Instant.parse(e.at())).isAfterOrEqualTo(pause.until()));
  }

  @Test
  void aRestartedCoordinatorKeepsTheLimitsPause() throws Exception {
    configureLimit(60, "");
    Bead first = bead("c1", null, "claude");
    startTwoWorkers();
    Pause pause = awaitPause();
    await().atMost(WAIT).until(() -> runs(first.id()).get(0).state() == RunState.RELEASED);
    coordinator.close();

    coordinator = new Coordinator(store, coordinatorSettings(3), Clock.systemUTC());
    coordinator.start();

    assertThat(coordinator.pauses())
        .singleElement()
        .satisfies(p -> assertThat(p.until()).isEqualTo(pause.until()));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> runs(first.id()).size() == 1);
    coordinator.resume("claude", "test");
    awaitClosed(first.id());
    assertThat(coordinator.ledger().failures(first.id())).isZero();
  }
}
