package dev.beadpool.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Json;
import dev.beadpool.broker.EmbeddedBroker;
import dev.beadpool.config.AgentConfig;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.messaging.DeadLetters;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.ClaimRequest;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.LeaseSecret;
import dev.beadpool.protocol.Outcome;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.protocol.Usage;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import jakarta.jms.Message;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker whole, against a real in-JVM Artemis broker and real agent processes, with the
 * coordinator's side of the protocol played by the test ({@link ScriptedCoordinator}).
 */
class WorkerOverBrokerTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  EmbeddedBroker broker;
  BrokerSettings brokerSettings;
  ScriptedCoordinator coordinator;
  Worker worker;

  @BeforeEach
  void startBrokerAndCoordinator() throws Exception {
    broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
    brokerSettings = BrokerSettings.anonymous(broker.url());
    coordinator = new ScriptedCoordinator(brokerSettings);
  }

  @AfterEach
  void stopAll() throws Exception {
    if (worker != null) {
      worker.close();
    }
    coordinator.close();
    broker.close();
  }

  /** Starts a one-slot worker whose agent is {@code script}, run by {@code /bin/sh}. */
  Worker startWorker(String script) throws Exception {
    return startWorker(script, AgentConfig.NONE);
  }

  /** Starts a one-slot worker whose agent is {@code script}, with {@code agents} as its config. */
  Worker startWorker(String script, AgentConfig agents) throws Exception {
    Path agent = dir.resolve("agent.sh");
    Files.writeString(agent, script, StandardCharsets.UTF_8);
    worker =
        new Worker(
            WorkerSettings.builder(brokerSettings, "w-1", List.of("/bin/sh", agent.toString()))
                .agents(agents.withDefaultCommand(List.of("/bin/sh", agent.toString())))
                .slots(1)
                .timeout(Duration.ofSeconds(30))
                .heartbeat(Duration.ofMillis(200))
                .shutdownGrace(Duration.ofMillis(300))
                .claimTimeout(Duration.ofSeconds(2))
                .infraExitCodes(Set.of(42))
                .workDir(dir)
                .logRoot(dir.resolve("logs"))
                .build(),
            Clock.systemUTC());
    worker.start();
    return worker;
  }

  static DispatchMessage dispatch(String beadId, long run) {
    ObjectNode bead = Json.MAPPER.createObjectNode();
    bead.put("id", beadId);
    bead.put("title", "bead " + beadId);
    return DispatchMessage.of(beadId, run, 1, bead);
  }

  RunResult resultOf(long run) {
    await().atMost(WAIT).until(() -> coordinator.results.stream().anyMatch(r -> r.run() == run));
    return coordinator.results.stream().filter(r -> r.run() == run).findFirst().orElseThrow();
  }

  static void makeHalfOpen(CircuitBreaker breaker) {
    breaker.transitionToOpenState();
    breaker.transitionToHalfOpenState();
  }

  /** Permissions the half-open circuit hands out, taken and kept: 1 when none leaked. */
  static int permissionsLeft(CircuitBreaker breaker) {
    int n = 0;
    while (n < 5 && breaker.tryAcquirePermission()) {
      n++;
    }
    return n;
  }

  @Test
  void aDispatchedBeadIsClaimedRunAndItsResultSentSignedWithTheLeaseSecret() throws Exception {
    startWorker("echo agent for $BEAD_ID\nexit 0\n");

    coordinator.dispatch(dispatch("x-1", 11));

    RunResult result = resultOf(11);
    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.worker()).isEqualTo("w-1");
    assertThat(result.leaseId()).isEqualTo(ScriptedCoordinator.leaseOf(11));
    assertThat(result.outputTail()).contains("agent for x-1");
    ClaimRequest claim = coordinator.claims.get(0);
    assertThat(claim.worker()).isEqualTo("w-1");
    assertThat(LeaseSecret.proves(result.leaseSecret(), claim.leaseProof()))
        .as("the result carries the secret whose proof the claim carried")
        .isTrue();
    assertThat(coordinator.heartbeats)
        .anyMatch(h -> h.run() == 11 && h.leaseId().equals(ScriptedCoordinator.leaseOf(11)));
    await().atMost(WAIT).until(() -> worker.runningCount() == 0);
    assertThat(coordinator.waiting(Addresses.DISPATCH))
        .as("the dispatch was acknowledged")
        .isZero();
  }

  @Test
  void heartbeatsCarryTheUsageSoFarAndTheResultTheWholeOfIt() throws Exception {
    Path go = dir.resolve("go");
    startWorker(
        "printf '{\"input_tokens\": 100, \"cost_usd\": 0.10}' > \"$BEADPOOL_USAGE\"\n"
            + "while [ ! -f '"
            + go
            + "' ]; do sleep 0.05; done\n"
            + "printf '{\"input_tokens\": 300, \"output_tokens\": 40, \"cost_usd\": 0.35}'"
            + " > \"$BEADPOOL_USAGE\"\n"
            + "exit 0\n");

    coordinator.dispatch(dispatch("x-1", 12));

    Usage soFar = new Usage(100L, null, new BigDecimal("0.10"), null);
    await()
        .atMost(WAIT)
        .until(() -> coordinator.heartbeats.stream().anyMatch(h -> soFar.equals(h.usage())));
    Files.createFile(go);
    RunResult result = resultOf(12);
    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.usage()).isEqualTo(new Usage(300L, 40L, new BigDecimal("0.35"), null));
  }

  @Test
  void aRunThatHitsAUsageLimitIsReleasedWithItsResetAndTheCircuitStaysClosed() throws Exception {
    Path yaml = dir.resolve("beadpool.yaml");
    Files.writeString(
        yaml,
        "agent:\n  command: [x]\n  limit:\n    patterns:\n"
            + "      - 'usage limit reached\\|(?<epoch>\\d+)'\n");
    long reset = java.time.Instant.now().plusSeconds(600).getEpochSecond();
    startWorker(
        "echo 'Claude AI usage limit reached|" + reset + "'\nexit 1\n", AgentConfig.loadFile(yaml));

    coordinator.dispatch(dispatch("x-1", 13));

    RunResult result = resultOf(13);
    assertThat(result.outcome()).isEqualTo(Outcome.RELEASED);
    assertThat(result.limit().until()).isEqualTo(java.time.Instant.ofEpochSecond(reset));
    CircuitBreaker breaker = worker.breaker("default");
    assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).isZero();
    assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void afterAUsageLimitTheWorkerTakesNoRunOfThatProfileUntilTheReset() throws Exception {
    Path yaml = dir.resolve("beadpool.yaml");
    Files.writeString(
        yaml,
        "agent:\n  command: [x]\n  limit:\n    margin: 0s\n    patterns:\n"
            + "      - 'usage limit reached\\|(?<epoch>\\d+)'\n");
    long reset = java.time.Instant.now().plusSeconds(3).getEpochSecond();
    Path started = dir.resolve("x-2.started");
    startWorker(
        "if [ \"$BEAD_ID\" = x-1 ]; then echo 'usage limit reached|"
            + reset
            + "'; exit 1; fi\ndate +%s%N > "
            + started
            + "\n",
        AgentConfig.loadFile(yaml));

    // why both at once: without the hold the slot claims x-2 the moment x-1's result is queued,
    // before the coordinator can have paused the profile
    coordinator.dispatch(dispatch("x-1", 15));
    coordinator.dispatch(dispatch("x-2", 16));

    assertThat(resultOf(15).limit()).isNotNull();
    assertThat(resultOf(16).outcome()).isEqualTo(Outcome.SUCCEEDED);
    long startNanos = Long.parseLong(Files.readString(started).strip());
    assertThat(startNanos).isGreaterThanOrEqualTo(reset * 1_000_000_000L);
  }

  @Test
  void theWorkerAnnouncesItselfAndSaysWhenItLeaves() throws Exception {
    startWorker("exit 0\n");

    await()
        .atMost(WAIT)
        .until(() -> coordinator.presences.stream().anyMatch(p -> p.worker().equals("w-1")));
    assertThat(coordinator.presences.get(0).slots()).isEqualTo(1);
    assertThat(coordinator.presences.get(0).profiles()).containsExactly("default");
    assertThat(worker.connected()).isTrue();

    worker.close();

    await().atMost(WAIT).until(() -> coordinator.presences.stream().anyMatch(p -> p.leaving()));
  }

  @Test
  void aRefusedClaimOrAPoisonMessageRunsNoAgentAndGivesThePermitBackOnce() throws Exception {
    Path ran = dir.resolve("ran");
    startWorker("touch '" + ran + "'\n");
    makeHalfOpen(worker.breaker());
    coordinator.answer = claim -> ClaimReply.refused(claim.beadId(), claim.run(), "held by w-2");

    coordinator.dispatch(dispatch("x-2", 12));
    await().atMost(WAIT).until(() -> coordinator.claims.size() == 1);
    coordinator.dispatchRaw(Addresses.DISPATCH, "not a dispatch at all");
    Message poison = coordinator.deadLetter(WAIT);
    worker.close();

    assertThat(poison).isNotNull();
    assertThat(poison.getStringProperty(DeadLetters.ORIGINAL_ID)).isNotNull();
    assertThat(ran).doesNotExist();
    assertThat(coordinator.results).isEmpty();
    assertThat(worker.breaker().getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(permissionsLeft(worker.breaker()))
        .as("every take gave its permit back, exactly once")
        .isEqualTo(1);
  }

  @Test
  void aProbeRunThatWorkedClosesTheCircuit() throws Exception {
    startWorker("exit 0\n");
    makeHalfOpen(worker.breaker());

    coordinator.dispatch(dispatch("x-3", 13));

    assertThat(resultOf(13).outcome()).isEqualTo(Outcome.SUCCEEDED);
    await().atMost(WAIT).until(() -> worker.breaker().getState() == CircuitBreaker.State.CLOSED);
  }

  @Test
  void infrastructureFailuresOpenTheCircuitAndThePresenceSaysSo() throws Exception {
    startWorker("exit 42\n");

    coordinator.dispatch(dispatch("x-4", 14));
    coordinator.dispatch(dispatch("x-5", 15));

    assertThat(resultOf(14).outcome()).isEqualTo(Outcome.RELEASED);
    assertThat(resultOf(15).error()).isEqualTo("infrastructure exit code 42");
    await().atMost(WAIT).until(() -> worker.breaker().getState() == CircuitBreaker.State.OPEN);
    await()
        .atMost(WAIT)
        .until(
            () ->
                coordinator.presences.stream().anyMatch(p -> p.openCircuits().contains("default")));
  }

  @Test
  void aRunStillGoingAtShutdownIsKilledAndReleased() throws Exception {
    startWorker("echo started\nsleep 300\n");

    coordinator.dispatch(dispatch("x-6", 16));
    await().atMost(WAIT).until(() -> worker.runningCount() == 1);
    worker.close();

    RunResult result = resultOf(16);
    assertThat(result.outcome()).isEqualTo(Outcome.RELEASED);
    assertThat(result.error()).isEqualTo("worker w-1 shutting down");
    assertThat(result.leaseSecret()).isNotNull();
    assertThat(worker.runningCount()).isZero();
    assertThat(permissionsLeft(worker.breaker())).as("closed circuit: permits always").isEqualTo(5);
  }

  @Test
  void aClaimNobodyAnswersIsAskedAgainUntilTheCoordinatorComes() throws Exception {
    startWorker("exit 0\n");
    coordinator.answer = claim -> null;

    coordinator.dispatch(dispatch("x-7", 17));
    await().atMost(WAIT).until(() -> coordinator.claims.size() >= 2);
    coordinator.answer =
        claim -> ClaimReply.granted(claim.beadId(), claim.run(), "lease-late", 60_000);

    RunResult result = resultOf(17);
    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.leaseId()).isEqualTo("lease-late");
    assertThat(coordinator.claims)
        .extracting(ClaimRequest::leaseProof)
        .containsOnly(coordinator.claims.get(0).leaseProof());
  }
}
