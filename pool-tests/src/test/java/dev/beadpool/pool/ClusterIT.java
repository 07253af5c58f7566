package dev.beadpool.pool;

import static dev.beadpool.cli.JarProcesses.crash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beadpool.bead.Bead;
import dev.beadpool.cli.Cli;
import dev.beadpool.store.BeadFilter;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.HistoryEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The whole pool as separate processes: a broker, the coordinator and two workers, running a
 * 50-bead DAG. A worker is SIGKILLed (with its agents, as when its machine dies) while it runs a
 * bead, and the coordinator is SIGKILLed and restarted mid-run. Every bead must close exactly once
 * and the killed bead must run again.
 */
class ClusterIT extends ClusterProcesses {
  static final int BEADS = 50;
  static final String SLOW = "e2e-10";

  /** Writes "start ID WORKER RUN" then, when done, "done ID WORKER RUN" to the ledger. */
  static final String AGENT =
      """
      #!/bin/sh
      echo "start $BEAD_ID $BEADPOOL_WORKER $BEADPOOL_RUN" >> "$1"
      case "$BEAD_TITLE" in
        *slow*) if [ ! -f "$1.slow-done" ]; then touch "$1.slow-done"; sleep 60; fi ;;
        *) sleep 0.1 ;;
      esac
      echo "done $BEAD_ID $BEADPOOL_WORKER $BEADPOOL_RUN" >> "$1"
      """;

  String agentCommand() throws IOException {
    return agentCommand(AGENT);
  }

  @Test
  void everyBeadClosesOnceThroughAWorkerCrashAndACoordinatorRestart() throws Exception {
    String agentCommand = agentCommand();
    Path issues = dir.resolve("issues.jsonl");
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < BEADS; i++) {
      String id = "e2e-" + i;
      jsonl
          .append("{\"id\":\"")
          .append(id)
          .append("\",\"title\":\"")
          .append(i == 10 ? "slow bead" : "bead " + i)
          .append("\",\"priority\":2,\"created_at\":\"2026-01-01T00:00:")
          .append(String.format("%02d", i % 60))
          .append("Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"");
      List<String> deps = new ArrayList<>();
      if (i % 5 != 0) {
        deps.add("e2e-" + (i - 1));
      }
      if (i >= 5) {
        deps.add("e2e-" + (i - 5));
      }
      if (!deps.isEmpty()) {
        jsonl
            .append(",\"dependencies\":[")
            .append(
                deps.stream()
                    .map(
                        d ->
                            "{\"issue_id\":\""
                                + id
                                + "\",\"depends_on_id\":\""
                                + d
                                + "\",\"type\":\"blocks\",\"created_at\":\"2026-01-01T00:00:00Z\"}")
                    .collect(Collectors.joining(",")))
            .append("]");
      }
      jsonl.append("}\n");
    }
    Files.writeString(issues, jsonl);
    Path db = importIntoStore(issues);
    String broker = startBroker();
    String[] coordinatorArgs = {
      "coordinator",
      "--db",
      db.toString(),
      "--broker",
      broker,
      "--lease",
      "3s",
      "--retry-delay",
      "200ms"
    };
    Process coordinator = start("coordinator-1", coordinatorArgs);
    Process w1 = startWorker(broker, "w-1", agentCommand, "--slots", "2", "--grace", "1s");
    Process w2 = startWorker(broker, "w-2", agentCommand, "--slots", "2", "--grace", "1s");

    // the slow bead starts on some worker: crash that worker with its agents
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ledger().stream().anyMatch(l -> l[0].equals("start") && l[1].equals(SLOW)));
    String victim =
        ledger().stream()
            .filter(l -> l[0].equals("start") && l[1].equals(SLOW))
            .findFirst()
            .orElseThrow()[2];
    crash(victim.equals("w-1") ? w1 : w2);

    // a few more beads, then the coordinator crashes and comes back
    long doneBefore = ledger().stream().filter(l -> l[0].equals("done")).count();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ledger().stream().filter(l -> l[0].equals("done")).count() >= doneBefore + 5);
    crash(coordinator);
    start("coordinator-2", coordinatorArgs);

    try (BeadStore store = BeadStore.open(db, Clock.systemUTC())) {
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> store.list(BeadFilter.ALL).stream().allMatch(Bead::isClosed));

      for (Bead bead : store.list(BeadFilter.ALL)) {
        List<HistoryEntry> closes =
            store.history(bead.id()).stream()
                .filter(h -> "status".equals(h.event()) && "closed".equals(h.to()))
                .toList();
        assertThat(closes).as("closes of %s", bead.id()).hasSize(1);
      }
    }
    Map<String, Long> done =
        ledger().stream()
            .filter(l -> l[0].equals("done"))
            .collect(Collectors.groupingBy(l -> l[1], Collectors.counting()));
    assertThat(done).hasSize(BEADS);
    // why: agents run at least once, beads close exactly once (checked above). An agent that
    // finished on the crashed worker just before the kill, its result not yet with the broker,
    // runs again; every other bead's agent ran exactly once.
    java.util.Set<String> onVictim =
        ledger().stream()
            .filter(l -> l[2].equals(victim))
            .map(l -> l[1])
            .collect(Collectors.toSet());
    done.forEach(
        (bead, n) -> {
          if (onVictim.contains(bead)) {
            assertThat(n)
                .as("completions of %s, which ran on the crashed worker", bead)
                .isBetween(1L, 2L);
          } else {
            assertThat(n).as("completions of %s", bead).isEqualTo(1L);
          }
        });
    List<String[]> slowStarts =
        ledger().stream().filter(l -> l[0].equals("start") && l[1].equals(SLOW)).toList();
    assertThat(slowStarts).as("the killed bead ran again").hasSizeGreaterThanOrEqualTo(2);
    assertThat(slowStarts.get(slowStarts.size() - 1)[2]).isNotEqualTo(victim);
  }

  @Test
  void aWorkerStoppedWithSigtermReleasesItsBeadForImmediateReDispatch() throws Exception {
    String agentCommand = agentCommand();
    Path issues = dir.resolve("issues.jsonl");
    Files.writeString(
        issues,
        "{\"id\":\"term-1\",\"title\":\"slow bead\",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}\n");
    Path db = importIntoStore(issues);
    String broker = startBroker();
    // a long lease: a release must not wait for it
    start(
        "coordinator-1",
        "coordinator",
        "--db",
        db.toString(),
        "--broker",
        broker,
        "--lease",
        "5m",
        "--http-port",
        "0");
    Process first = startWorker(broker, "w-1", agentCommand, "--grace", "1s");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> ledger().stream().anyMatch(l -> l[0].equals("start")));

    first.destroy(); // SIGTERM
    assertThat(first.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    // what the user saw: the worker, what it serves, and the grace its running agent got
    assertThat(Files.readString(dir.resolve("w-1.log")))
        .contains("worker w-1 running with broker " + broker + ": profiles default, 2 slots")
        .contains("worker stopping: 1 agent(s) running get 1s to finish, then are released");
    startWorker(broker, "w-2", agentCommand);

    // the stopped worker said it was leaving: gone from the pool long before its 5 minute lease
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Cli.Result status = Cli.raw("status", "--json", "--db", db.toString());
              assertThat(status.exit()).as(status.err()).isZero();
              assertThat(status.json().path("workers").findValuesAsText("id"))
                  .containsExactly("w-2");
            });
    try (BeadStore store = BeadStore.open(db, Clock.systemUTC())) {
      // well inside the 5 minute lease: the bead was released, not expired
      await().atMost(Duration.ofSeconds(60)).until(() -> store.get("term-1").isClosed());
      assertThat(new dev.beadpool.store.RunLedger(store).runs("term-1"))
          .extracting(r -> r.state() + " " + r.worker() + " " + r.attempt())
          .containsExactly("RELEASED w-1 1", "SUCCEEDED w-2 1");
    }
    assertThat(ledger())
        .extracting(l -> l[0] + " " + l[2])
        .contains("start w-1", "start w-2", "done w-2");
  }
}
