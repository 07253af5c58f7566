package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.bead.Bead;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunState;
import dev.beadpool.worker.Worker;
import dev.beadpool.worker.WorkerSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Agents run for minutes to hours; the pool's own durations are seconds. With every duration of the
 * pool scaled down (lease, lease check, heartbeat, claim timeout, circuit open time, the broker's
 * connection TTL), agents that run several times longer than all of them must finish, close their
 * beads and leave every circuit closed: nothing in the pool may count a long run against it.
 */
class LongRunsTest extends AgentPoolHarness {
  static final Duration LONGEST_SETTING = Duration.ofSeconds(1);

  @Test
  void agentsThatRunLongerThanEveryDurationOfThePoolFinishWithTheCircuitClosed() throws Exception {
    configureAgent(agent("long", "sleep 3\nexit 0"), "");
    brokerSettings = brokerSettings.withConnectionTtl(LONGEST_SETTING);
    List<Bead> beads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      beads.add(bead("long " + i, null));
    }
    CoordinatorSettings settings =
        coordinatorSettings(3).toBuilder()
            .lease(LONGEST_SETTING)
            .leaseCheck(Duration.ofMillis(100))
            .build();
    coordinator = new Coordinator(store, settings, Clock.systemUTC());
    coordinator.start();
    Worker worker =
        startWorker(
            WorkerSettings.builder(brokerSettings, "w-1", List.of())
                .slots(2)
                .timeout(Duration.ofSeconds(30))
                .heartbeat(Duration.ofMillis(200))
                .claimTimeout(LONGEST_SETTING)
                .shutdownGrace(Duration.ofMillis(300))
                .breakerOpenFor(Duration.ofMillis(500))
                .workDir(dir)
                .logRoot(dir.resolve("logs/run"))
                .agents(agents));
    List<CircuitBreaker.StateTransition> transitions = new ArrayList<>();
    worker
        .breaker()
        .getEventPublisher()
        .onStateTransition(e -> transitions.add(e.getStateTransition()));

    for (Bead bead : beads) {
      awaitClosed(bead.id());
    }

    assertThat(transitions).as("circuit transitions").isEmpty();
    assertThat(worker.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    for (Bead bead : beads) {
      assertThat(runs(bead.id())).extracting(Run::state).containsExactly(RunState.SUCCEEDED);
    }
  }
}
