package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beadpool.bead.Bead;
import dev.beadpool.dispatch.Backoff;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.store.BeadFilter;
import dev.beadpool.store.NewBead;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunState;
import dev.beadpool.worker.Worker;
import dev.beadpool.worker.WorkerSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Coordinator and workers over a real broker, running real agent processes. */
class PoolTest extends PoolFixture {
  static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * The agent: appends "bead-id worker attempt title" to the ledger, then behaves by its title:
   * "fail" exits 1, "infra" exits 42, "hang" starts a child and waits forever, "slow-on-w-1" sleeps
   * when run by worker w-1.
   */
  static final String AGENT =
      """
      #!/bin/sh
      printf '%s %s %s %s\\n' "$BEAD_ID" "$BEADPOOL_WORKER" "$BEADPOOL_ATTEMPT" "$BEAD_TITLE" >> "$1"
      echo "agent for $BEAD_ID running, bead json at $BEAD_JSON"
      case "$BEAD_TITLE" in
        *fail*) echo "boom: tests failed" ; exit 1 ;;
        *infra*) exit 42 ;;
        *hang*) sleep 300 & echo $! > "$1.child" ; wait ;;
        *slow-on-w-1*) if [ "$BEADPOOL_WORKER" = "w-1" ]; then sleep 300 & wait; fi ;;
      esac
      exit 0
      """;

  Path agent;

  @BeforeEach
  void writeAgent() throws Exception {
    agent = dir.resolve("agent.sh");
    Files.writeString(agent, AGENT);
  }

  void startCoordinator() throws Exception {
    coordinator =
        new Coordinator(
            store,
            CoordinatorSettings.builder(brokerSettings)
                .lease(Duration.ofSeconds(3))
                .leaseCheck(Duration.ofMillis(100))
                .backoff(new Backoff(Duration.ofMillis(50), 2.0, Duration.ofMillis(200), 0))
                .build(),
            Clock.systemUTC());
    coordinator.start();
  }

  Worker startWorker(String id, List<String> command, Duration timeout) throws Exception {
    WorkerSettings settings =
        WorkerSettings.builder(brokerSettings, id, command)
            .slots(2)
            .timeout(timeout)
            .heartbeat(Duration.ofMillis(300))
            .shutdownGrace(Duration.ofMillis(300))
            .breakerOpenFor(Duration.ofSeconds(30))
            .workDir(dir)
            .logRoot(dir.resolve("logs/run"))
            .infraExitCodes(Set.of(42))
            .build();
    Worker worker = new Worker(settings, Clock.systemUTC());
    worker.start();
    workers.add(worker);
    return worker;
  }

  Worker startWorker(String id) throws Exception {
    return startWorker(
        id, List.of("/bin/sh", agent.toString(), ledger.toString()), Duration.ofSeconds(20));
  }

  Bead bead(String title, String... deps) {
    return store.create(
        new NewBead(title, null, null, 2, List.of(), null, List.of(deps), null, null), "test");
  }

  @Test
  void aGraphRunsToTheEndInDependencyOrderEachBeadOnce() throws Exception {
    String hostile = "quote \" and '$(touch pwned)' and `touch pwned2` and $HOME";
    Bead a = bead("a");
    Bead b = bead("b", a.id());
    Bead c = bead(hostile, b.id());
    Bead d = bead("d", a.id());
    startCoordinator();
    startWorker("w-1");
    startWorker("w-2");

    await().atMost(WAIT).until(() -> store.list(BeadFilter.ALL).stream().allMatch(Bead::isClosed));

    List<String> order = ledgerLines().stream().map(l -> l.substring(0, l.indexOf(' '))).toList();
    assertThat(order).containsExactlyInAnyOrder(a.id(), b.id(), c.id(), d.id());
    assertThat(order.indexOf(a.id()))
        .isLessThan(order.indexOf(b.id()))
        .isLessThan(order.indexOf(d.id()) + 10);
    assertThat(order.indexOf(b.id())).isLessThan(order.indexOf(c.id()));
    assertThat(ledgerLines()).anyMatch(l -> l.endsWith(" " + hostile));
    assertThat(dir.resolve("pwned")).doesNotExist();
    assertThat(dir.resolve("pwned2")).doesNotExist();
    assertThat(Files.list(dir.resolve("logs/run")).toList()).hasSize(4);
  }

  @Test
  void aFailingAgentIsRetriedThenAFailureBeadBlocksTheBead() throws Exception {
    Bead flaky = bead("always fail");
    startCoordinator();
    startWorker("w-1");

    await().atMost(WAIT).until(() -> coordinator.status().failureBeads() == 1);

    assertThat(ledgerLines()).hasSize(3);
    Bead failure = store.list(new BeadFilter(null, List.of("failure"), null, null, null)).get(0);
    assertThat(failure.title()).isEqualTo("FAILURE: boom: tests failed in " + flaky.id());
    assertThat(failure.text("description")).contains("boom: tests failed").contains("output.log");
    assertThat(store.get(flaky.id()).status()).isEqualTo("open");
  }

  @Test
  void aHungAgentIsKilledWithItsChildrenAtTheTimeout() throws Exception {
    Bead hung = bead("hang forever");
    startCoordinator();
    startWorker(
        "w-1", List.of("/bin/sh", agent.toString(), ledger.toString()), Duration.ofSeconds(2));

    await()
        .atMost(WAIT)
        .until(
            () ->
                coordinator.ledger().runs(hung.id()).stream()
                    .anyMatch(r -> r.state() == RunState.FAILED));

    Run first = coordinator.ledger().runs(hung.id()).get(0);
    assertThat(first.error()).contains("timed out");
    long child = Long.parseLong(Files.readString(dir.resolve("ledger.txt.child")).strip());
    await().atMost(WAIT).until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void infrastructureFailuresOpenTheCircuitAndSpendNoAttempt() throws Exception {
    Bead a = bead("a");
    Bead b = bead("b");
    startCoordinator();
    Worker broken =
        startWorker(
            "w-1", List.of(dir.resolve("no-such-agent").toString()), Duration.ofSeconds(20));

    await().atMost(WAIT).until(() -> broken.breaker().getState() == CircuitBreaker.State.OPEN);

    assertThat(coordinator.ledger().failures(a.id())).isZero();
    assertThat(coordinator.ledger().failures(b.id())).isZero();
    assertThat(coordinator.status().failureBeads()).isZero();
    List<Run> runs = new ArrayList<>(coordinator.ledger().runs(a.id()));
    runs.addAll(coordinator.ledger().runs(b.id()));
    assertThat(runs)
        .filteredOn(r -> !r.state().inFlight())
        .allMatch(r -> r.state() == RunState.RELEASED);

    startWorker("w-2");
    await().atMost(WAIT).until(() -> store.get(a.id()).isClosed() && store.get(b.id()).isClosed());
  }

  @Test
  void aStoppingWorkerReleasesItsBeadAndAnotherRunsItWithoutSpendingAnAttempt() throws Exception {
    Bead slow = bead("slow-on-w-1");
    startCoordinator();
    Worker first = startWorker("w-1");
    await().atMost(WAIT).until(() -> first.runningCount() == 1);

    first.close();
    startWorker("w-2");

    await().atMost(WAIT).until(() -> store.get(slow.id()).isClosed());
    assertThat(coordinator.ledger().runs(slow.id()))
        .extracting(Run::state)
        .containsExactly(RunState.RELEASED, RunState.SUCCEEDED);
    assertThat(ledgerLines())
        .extracting(l -> l.split(" ")[1] + ":" + l.split(" ")[2])
        .containsExactly("w-1:1", "w-2:1");
  }
}
