package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beadpool.api.CoordinatorApi;
import dev.beadpool.bead.Bead;
import dev.beadpool.cli.BeadpoolCommand;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.PoolEvents;
import dev.beadpool.store.BeadStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code beadpool pause} and {@code resume} on a whole pool, through the CLI and the coordinator's
 * API: a pause stops new dispatch at once while running runs finish, {@code status} shows it,
 * {@code resume} restarts dispatch, and a restarted coordinator keeps the pause.
 */
class HandPausesPoolTest extends AgentPoolHarness {
  /** How soon a pause must stop new dispatch. */
  static final Duration AT_ONCE = Duration.ofSeconds(1);

  record Result(int exit, String out, String err) {}

  Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--db");
    all.add(dir.resolve(".beadpool/beads.db").toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = BeadpoolCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Result(cli.execute(all.toArray(String[]::new)), out.toString(), err.toString());
  }

  /** An agent that waits until the file {@code go} exists, then exits 0. */
  Path waitingAgent() throws Exception {
    return agent("waits", "while [ ! -f '" + dir.resolve("go") + "' ]; do sleep 0.05; done");
  }

  /** The store under {@code .beadpool/}, where the CLI finds the coordinator's owner file. */
  BeadStore projectStore() {
    store.close();
    store = BeadStore.open(dir.resolve(".beadpool/beads.db"), Clock.systemUTC());
    return store;
  }

  @Test
  void pauseAllStopsNewDispatchAtOnceRunningRunsFinishAndResumeRestartsIt() throws Exception {
    configureAgent(waitingAgent(), "  completion: exit-code\n");
    projectStore();
    Bead running = bead("running when the pool pauses", null);
    startPool(3);
    await()
        .atMost(WAIT)
        .until(
            () ->
                !runs(running.id()).isEmpty()
                    && store.get(running.id()).status().equals("in_progress"));
    PoolEvents.Subscription watcher = coordinator.events().open(Set.of());
    try (CoordinatorApi api =
        CoordinatorApi.start(coordinator, dir.resolve(".beadpool/beads.db"), "127.0.0.1", 0)) {

      Result paused = cli("pause", "--all", "--reason", "planned outage", "--actor", "alice");
      Instant pausedAt = Instant.now();

      assertThat(paused.exit()).as(paused.err()).isZero();
      assertThat(paused.out()).contains("the pool paused until resumed: planned outage, by alice");
      Result created = cli("create", "ready during the pause", "--json");
      assertThat(created.exit()).as(created.err()).isZero();
      String later = created.out().replaceAll("(?s).*\"id\" *: *\"([^\"]+)\".*", "$1");
      await().during(AT_ONCE).atMost(AT_ONCE.multipliedBy(3)).until(() -> runs(later).isEmpty());
      assertThat(Duration.between(pausedAt, Instant.now())).isGreaterThanOrEqualTo(AT_ONCE);

      Files.createFile(dir.resolve("go"));
      awaitClosed(running.id());
      Result status = cli("status");
      assertThat(status.out()).contains("paused: the pool paused until resumed: planned outage");
      Result json = cli("status", "--json");
      assertThat(json.out()).contains("\"pool\": true").contains("\"reason\": \"planned outage\"");
      assertThat(runs(later)).isEmpty();

      Result resumed = cli("resume", "--actor", "bob");

      assertThat(resumed.exit()).as(resumed.err()).isZero();
      assertThat(resumed.out()).startsWith("the pool resumed");
      awaitClosed(later);
      List<PoolEvent> said = new ArrayList<>();
      for (PoolEvent e = watcher.next(Duration.ZERO); e != null; e = watcher.next(Duration.ZERO)) {
        if (e.beadId() == null) {
          said.add(e);
        }
      }
      assertThat(said).extracting(PoolEvent::type).containsExactly("paused", "resumed");
    }
  }

  @Test
  void aPauseByHandNamesAKnownProfileAndAValidEnd() throws Exception {
    configureAgent(waitingAgent(), "  completion: exit-code\n");
    projectStore();
    startPool(3);
    try (CoordinatorApi api =
        CoordinatorApi.start(coordinator, dir.resolve(".beadpool/beads.db"), "127.0.0.1", 0)) {
      Result unknown = cli("pause", "claude");
      assertThat(unknown.exit()).isNotZero();
      assertThat(unknown.err())
          .contains("no profile 'claude' in beadpool.yaml (profiles: default)");
      Result badUntil = cli("pause", "default", "--until", "soon");
      assertThat(badUntil.exit()).isEqualTo(2);
      assertThat(badUntil.err()).contains("--until: until must be a duration (30m, 2h)");
      Result both = cli("pause", "default", "--all");
      assertThat(both.exit()).isEqualTo(2);
      Result neither = cli("pause");
      assertThat(neither.exit()).isEqualTo(2);
      Result notPaused = cli("resume", "default");
      assertThat(notPaused.exit()).isZero();
      assertThat(notPaused.out()).contains("profile default was not paused");
      Result timed = cli("pause", "default", "--until", "2h", "--json");
      assertThat(timed.exit()).as(timed.err()).isZero();
      assertThat(timed.out()).contains("\"profile\": \"default\"").contains("\"until\": ");
    }
  }

  @Test
  void aRestartedCoordinatorKeepsThePauseUntilItsTime() throws Exception {
    configureAgent(waitingAgent(), "  completion: exit-code\n");
    Files.createFile(dir.resolve("go"));
    startPool(3);
    coordinator.pause("default", Instant.now().plusSeconds(3), "a bill", "alice");
    coordinator.close();
    Bead held = bead("ready while the coordinator is away", null);

    coordinator = new Coordinator(store, coordinatorSettings(3), Clock.systemUTC());
    Instant restarted = Instant.now();
    coordinator.start();

    assertThat(coordinator.status().paused())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.text())
                    .contains("profile default paused until")
                    .contains("a bill, by alice"));
    awaitClosed(held.id());
    assertThat(Duration.between(restarted, Instant.now())).isGreaterThan(Duration.ofSeconds(1));
    assertThat(coordinator.status().paused()).isEmpty();
  }
}
