package dev.beadpool.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.agent.AgentRunner;
import dev.beadpool.bead.Json;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.LeaseSecret;
import dev.beadpool.protocol.Outcome;
import dev.beadpool.protocol.RunResult;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One attempt of an agent, with no broker anywhere: a real child process (a shell script written to
 * a temp file) runs, and the attempt returns its {@link RunResult} and spends the circuit's permit
 * the way the outcome says.
 */
class AgentAttemptTest {
  static final String LEASE = "lease-1";

  @TempDir Path dir;
  final List<String> watched = new CopyOnWriteArrayList<>();
  final AgentCircuit circuit =
      new AgentCircuit("w-9", "default", Duration.ofMinutes(5), Duration.ofMinutes(90));

  /** An agent: the script's text, run by {@code /bin/sh}. */
  List<String> agent(String script) throws Exception {
    Path file = dir.resolve("agent-" + System.nanoTime() + ".sh");
    Files.writeString(file, script, StandardCharsets.UTF_8);
    return List.of("/bin/sh", file.toString());
  }

  AgentAttempt attempt(List<String> command, Duration timeout) {
    WorkerSettings settings =
        WorkerSettings.builder(BrokerSettings.anonymous("vm://0"), "w-9", command)
            .workDir(dir)
            .logRoot(dir.resolve("logs"))
            .timeout(timeout)
            .infraExitCodes(Set.of(42))
            .build()
            .validated();
    return new AgentAttempt(
        settings,
        new AgentRunner(settings.logRoot(), Clock.systemUTC()),
        (dispatch, lines) -> watched.addAll(lines),
        Clock.systemUTC());
  }

  static Running running(String description) {
    ObjectNode bead = Json.MAPPER.createObjectNode();
    bead.put("id", "x-1");
    bead.put("title", "t");
    if (description != null) {
      bead.put("description", description);
    }
    return new Running(DispatchMessage.of("x-1", 7, 1, bead), LEASE, LeaseSecret.generate());
  }

  RunResult run(List<String> command, Duration timeout, Running current) {
    try (AgentCircuit.Permit permit = circuit.tryAcquire()) {
      RunResult result = attempt(command, timeout).run(current, permit);
      assertThat(permit.spent()).as("the attempt judged or gave back its permit").isTrue();
      return result;
    }
  }

  RunResult run(String script) throws Exception {
    return run(agent(script), Duration.ofSeconds(30), running(null));
  }

  CircuitBreaker.Metrics metrics() {
    return circuit.breaker().getMetrics();
  }

  @Test
  void anAgentThatExitsZeroSucceedsAndTheBackendCountsAsWorking() throws Exception {
    RunResult result = run("echo hello from the agent\nexit 0\n");

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.beadId()).isEqualTo("x-1");
    assertThat(result.run()).isEqualTo(7);
    assertThat(result.leaseId()).isEqualTo(LEASE);
    assertThat(result.worker()).isEqualTo("w-9");
    assertThat(result.leaseSecret()).as("the slot signs it, not the attempt").isNull();
    assertThat(result.outputTail()).contains("hello from the agent");
    assertThat(watched).contains("hello from the agent");
    assertThat(metrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
  }

  @Test
  void anAgentThatExitsNonZeroFailsWithItsLastErrorLine() throws Exception {
    RunResult result = run("echo working\necho 'error: the tests fail'\necho done\nexit 3\n");

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.error()).isEqualTo("error: the tests fail");
    assertThat(result.permanentFailure()).isFalse();
    assertThat(metrics().getNumberOfSuccessfulCalls())
        .as("the agent ran: its backend works")
        .isEqualTo(1);
  }

  @Test
  void anAgentPastItsTimeoutIsKilledAndFails() throws Exception {
    RunResult result =
        run(agent("echo started\nsleep 300\n"), Duration.ofSeconds(1), running(null));

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.error()).isEqualTo("timed out after 1s");
    assertThat(metrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
  }

  @Test
  void anInfrastructureExitCodeReleasesTheRunAndCountsAgainstTheBackend() throws Exception {
    RunResult result = run("echo 'rate limited'\nexit 42\n");

    assertThat(result.outcome()).isEqualTo(Outcome.RELEASED);
    assertThat(result.error()).isEqualTo("infrastructure exit code 42");
    assertThat(metrics().getNumberOfFailedCalls()).isEqualTo(1);
  }

  @Test
  void aCommandThatCannotStartReleasesTheRunAndCountsAgainstTheBackend() {
    RunResult result =
        run(
            List.of(dir.resolve("missing-agent").toString()),
            Duration.ofSeconds(30),
            running(null));

    assertThat(result.outcome()).isEqualTo(Outcome.RELEASED);
    assertThat(result.error()).contains("cannot start");
    assertThat(metrics().getNumberOfFailedCalls()).isEqualTo(1);
  }

  @Test
  void aBeadAskingForAWorkingDirectoryThatIsNotThereFailsForGoodWithNoAgentRun() throws Exception {
    Path marker = dir.resolve("ran");
    RunResult result =
        run(
            agent("touch '" + marker + "'\n"),
            Duration.ofSeconds(30),
            running("Working directory: /nowhere/at/all"));

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.permanentFailure()).isTrue();
    assertThat(result.error()).contains("does not exist on this worker");
    assertThat(marker).doesNotExist();
    assertThat(metrics().getNumberOfBufferedCalls()).as("the permit was given back").isZero();
    assertThat(watched).anyMatch(line -> line.startsWith("[beadpool] Working directory"));
  }

  @Test
  void aRunKilledBecauseTheWorkerStopsIsReleasedAndNotJudged() throws Exception {
    Running current = running(null);
    List<String> command = agent("echo started\nsleep 300\n");
    CompletableFuture<RunResult> result =
        CompletableFuture.supplyAsync(() -> run(command, Duration.ofMinutes(5), current));

    // as Worker.close() does once the grace period is over
    await().atMost(Duration.ofSeconds(10)).until(() -> current.process != null);
    current.released = true;
    AgentRunner.killTree(current.process);

    RunResult released = result.get();
    assertThat(released.outcome()).isEqualTo(Outcome.RELEASED);
    assertThat(released.error()).isEqualTo("worker w-9 shutting down");
    assertThat(metrics().getNumberOfBufferedCalls()).isZero();
  }

  @Test
  void theErrorLineIsTheExitCodeWhenNoLineReadsLikeAnError() {
    assertThat(
            AgentAttempt.errorLine(
                new dev.beadpool.agent.AgentRun(5, false, null, "all good\n", dir, null)))
        .isEqualTo("exit code 5");
  }
}
