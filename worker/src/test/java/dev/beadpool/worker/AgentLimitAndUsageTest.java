package dev.beadpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.agent.AgentRunner;
import dev.beadpool.bead.Json;
import dev.beadpool.config.AgentConfig;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.LeaseSecret;
import dev.beadpool.protocol.Outcome;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.protocol.Usage;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usage limits and usage reports of one attempt, with a real agent process (a shell script) and its
 * profile read from a real beadpool.yaml; the worker's clock is fixed, so when a limit resets is
 * known to the second.
 */
class AgentLimitAndUsageTest {
  static final Instant NOW = Instant.parse("2026-11-29T14:59:58Z");

  @TempDir Path dir;
  final List<String> watched = new CopyOnWriteArrayList<>();
  final AgentCircuit circuit =
      new AgentCircuit("w-9", "default", Duration.ofMinutes(5), Duration.ofMinutes(90));

  /**
   * Runs {@code script} under a default profile with {@code profileYaml} (indented keys under
   * {@code agent:}) and infrastructure exit code 42.
   */
  RunResult run(String script, String profileYaml) throws Exception {
    Path agent = dir.resolve("agent.sh");
    Files.writeString(agent, script, StandardCharsets.UTF_8);
    Path yaml = dir.resolve("beadpool.yaml");
    Files.writeString(
        yaml,
        "agent:\n  command: [/bin/sh, '" + agent + "']\n" + profileYaml,
        StandardCharsets.UTF_8);
    WorkerSettings settings =
        WorkerSettings.builder(BrokerSettings.anonymous("vm://0"), "w-9", List.of())
            .workDir(dir)
            .logRoot(dir.resolve("logs"))
            .timeout(Duration.ofSeconds(30))
            .infraExitCodes(Set.of(42))
            .agents(AgentConfig.loadFile(yaml))
            .build()
            .validated();
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    AgentAttempt attempt =
        new AgentAttempt(
            settings,
            new AgentRunner(settings.logRoot(), clock),
            (dispatch, lines) -> watched.addAll(lines),
            clock);
    ObjectNode bead = Json.MAPPER.createObjectNode();
    bead.put("id", "x-1");
    bead.put("title", "t");
    bead.put("status", "in_progress");
    bead.put("created_at", "2026-11-29T09:00:00Z");
    bead.put("updated_at", "2026-11-29T09:00:00Z");
    Running current =
        new Running(DispatchMessage.of("x-1", 7, 1, bead), "lease-1", LeaseSecret.generate());
    try (AgentCircuit.Permit permit = circuit.tryAcquire()) {
      RunResult result = attempt.run(current, permit);
      assertThat(permit.spent()).isTrue();
      return result;
    }
  }

  static final String CLAUDE_LIMIT =
      """
        limit:
          exit-codes: [75]
          patterns:
            - "hit your (?:\\\\w+ )?limit.*resets (?<reset>\\\\d{1,2}(?::\\\\d{2})?\\\\s*[ap]m)"
          default-pause: 10m
        failure-patterns: ["FATAL"]
      """;

  CircuitBreaker.Metrics metrics() {
    return circuit.breaker().getMetrics();
  }

  void assertPermitNeitherWorkedNorBroken() {
    assertThat(metrics().getNumberOfSuccessfulCalls()).as("not counted as worked").isZero();
    assertThat(metrics().getNumberOfFailedCalls()).as("not counted as broken").isZero();
    assertThat(metrics().getNumberOfBufferedCalls()).as("given back unjudged").isZero();
  }

  @Test
  void aLimitLineWithAResetTwoSecondsAheadReleasesTheRunUntilThen() throws Exception {
    RunResult result =
        run(
            "echo 'working on it'\n"
                + "bd comments add x-1 'half done' || exit 9\n"
                + "echo \"You've hit your limit · resets 3pm\"\n"
                + "exit 1\n",
            CLAUDE_LIMIT);

    assertThat(result.outcome()).as(result.outputTail()).isEqualTo(Outcome.RELEASED);
    assertThat(result.limit()).isNotNull();
    assertThat(result.limit().until()).isEqualTo(Instant.parse("2026-11-29T15:00:00Z"));
    assertThat(result.limit().line()).isEqualTo("You've hit your limit · resets 3pm");
    assertThat(result.error()).isEqualTo("usage limit: You've hit your limit · resets 3pm");
    assertThat(result.operations()).as("dropped, as for any released run").isEmpty();
    assertPermitNeitherWorkedNorBroken();
    assertThat(watched).anyMatch(l -> l.startsWith("[beadpool] usage limit of profile default"));
  }

  @Test
  void aLimitWinsOverAFailurePatternAndAnInfrastructureExitCode() throws Exception {
    RunResult result =
        run(
            "echo 'FATAL: request refused'\n"
                + "echo \"You've hit your session limit · resets 3:30pm\"\n"
                + "exit 42\n",
            CLAUDE_LIMIT);

    assertThat(result.outcome()).isEqualTo(Outcome.RELEASED);
    assertThat(result.limit().until()).isEqualTo(Instant.parse("2026-11-29T15:30:00Z"));
    assertPermitNeitherWorkedNorBroken();
  }

  @Test
  void aLimitExitCodeReleasesTheRunForTheDefaultPause() throws Exception {
    RunResult result = run("echo 'quota exhausted'\nexit 75\n", CLAUDE_LIMIT);

    assertThat(result.outcome()).isEqualTo(Outcome.RELEASED);
    assertThat(result.limit().until()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
    assertThat(result.limit().line()).isEqualTo("exit code 75");
    assertPermitNeitherWorkedNorBroken();
  }

  @Test
  void withoutALimitTheRunIsJudgedAsBefore() throws Exception {
    RunResult result = run("echo 'resets 3pm, but no limit was hit'\nexit 42\n", CLAUDE_LIMIT);

    assertThat(result.outcome()).isEqualTo(Outcome.RELEASED);
    assertThat(result.limit()).isNull();
    assertThat(metrics().getNumberOfFailedCalls()).as("an infra exit code still counts").isOne();
  }

  @Test
  void aFailedRunCarriesTheUsageItsAgentWroteToTheUsageFile() throws Exception {
    RunResult result =
        run(
            "printf '{\"input_tokens\": 1500, \"output_tokens\": 250, \"cost_usd\": 0.4213,"
                + " \"model\": \"m-7\"}' > \"$BEADPOOL_USAGE\"\n"
                + "echo 'error: tests fail'\nexit 3\n",
            "");

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.usage()).isEqualTo(new Usage(1500L, 250L, new BigDecimal("0.4213"), "m-7"));
  }

  @Test
  void claudeJsonOutputIsParsedAsItStreams() throws Exception {
    RunResult result =
        run(
            "echo '{\"type\":\"system\",\"subtype\":\"init\",\"model\":\"claude-sonnet-4-5\"}'\n"
                + "echo '{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,"
                + "\"total_cost_usd\":1.0700,\"usage\":{\"input_tokens\":100,"
                + "\"cache_read_input_tokens\":900,\"output_tokens\":50}}'\n"
                + "exit 0\n",
            "  usage: claude-json\n");

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.usage())
        .isEqualTo(new Usage(1000L, 50L, new BigDecimal("1.0700"), "claude-sonnet-4-5"));
  }

  @Test
  void garbageInTheUsageFileIsANoteAndChangesNoOutcome() throws Exception {
    RunResult result = run("echo 'spent: lots' > \"$BEADPOOL_USAGE\"\nexit 0\n", "");

    assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(result.usage()).isNull();
    assertThat(watched)
        .contains("[beadpool] usage: BEADPOOL_USAGE file is not JSON; usage unknown");
  }

  @Test
  void aReleasedRunWithALimitStillCarriesItsUsage() throws Exception {
    RunResult result =
        run(
            "echo '{\"beadpool_usage\": {\"input_tokens\": 5, \"cost_usd\": 0.02}}'\n"
                + "echo \"You've hit your limit · resets 3pm\"\nexit 1\n",
            CLAUDE_LIMIT + "  usage: json-line\n");

    assertThat(result.outcome()).isEqualTo(Outcome.RELEASED);
    assertThat(result.usage()).isEqualTo(new Usage(5L, null, new BigDecimal("0.02"), null));
  }
}
