package dev.beadpool.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.agent.AgentRun;
import dev.beadpool.agent.AgentRunner;
import dev.beadpool.bead.Json;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.protocol.DispatchMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent's run as the worker prepares and starts it: environment, bead text, failures. */
class AgentJobTest {
  static final String HOSTILE =
      "quote \" '$(touch pwned)' `touch pwned2` $HOME\nsecond line ünïcode";

  @TempDir Path dir;

  ObjectNode bead(String title) {
    ObjectNode bead = Json.MAPPER.createObjectNode();
    bead.put("id", "x-1");
    bead.put("title", title);
    bead.put("priority", 1);
    return bead;
  }

  AgentRun run(List<String> command, ObjectNode bead, Duration timeout) throws Exception {
    WorkerSettings settings =
        WorkerSettings.builder(BrokerSettings.anonymous("vm://0"), "w-9", command)
            .workDir(dir)
            .logRoot(dir.resolve("logs"))
            .build();
    AgentRunner runner = new AgentRunner(settings.logRoot(), Clock.systemUTC());
    DispatchMessage dispatch = DispatchMessage.of("x-1", 7, 2, bead);
    Path runDir = runner.newRunDir("x-1", 7);
    AgentJob.Prepared job =
        AgentJob.prepare(
            dispatch, settings.profile(dispatch.profile()), settings, runDir, timeout, lines -> {});
    return runner.run(runDir, job.launch(), p -> {});
  }

  @Test
  void theAgentGetsTheBeadInItsEnvironmentButNotTheBrokerPassword() throws Exception {
    assertThat(System.getenv("BEADPOOL_BROKER_PASSWORD"))
        .as("set by the build for this test")
        .isNotNull();

    AgentRun run = run(List.of("/usr/bin/env"), bead("t"), Duration.ofSeconds(30));

    assertThat(run.succeeded()).isTrue();
    String env = Files.readString(run.log());
    assertThat(env)
        .contains(
            "BEAD_ID=x-1",
            "BEAD_TITLE=t",
            "BEAD_PRIORITY=1",
            "BEADPOOL_ATTEMPT=2",
            "BEADPOOL_RUN=7",
            "BEADPOOL_WORKER=w-9",
            "BEAD_JSON=");
    assertThat(env)
        .doesNotContain("BEADPOOL_BROKER_PASSWORD")
        .doesNotContain("test-secret-not-for-agents");
  }

  @Test
  void beadTextReachesTheAgentByteForByteAndIsNeverEvaluated() throws Exception {
    Path title = dir.resolve("title.txt");
    Path json = dir.resolve("bead.json");
    // the agent copies what it got; the command is an argument list, no shell sees the bead text
    AgentRun run =
        run(
            List.of(
                "/bin/sh",
                "-c",
                "printf '%s' \"$BEAD_TITLE\" > \"$0\"; cp \"$BEAD_JSON\" \"$1\"",
                title.toString(),
                json.toString()),
            bead(HOSTILE),
            Duration.ofSeconds(30));

    assertThat(run.succeeded()).isTrue();
    assertThat(Files.readString(title, StandardCharsets.UTF_8)).isEqualTo(HOSTILE);
    assertThat(Json.MAPPER.readTree(json.toFile()).get("title").asText()).isEqualTo(HOSTILE);
    assertThat(dir.resolve("pwned")).doesNotExist();
    assertThat(dir.resolve("pwned2")).doesNotExist();
    assertThat(run.log().getParent().getFileName().toString()).endsWith("_x-1_r7");
  }

  @Test
  void aCommandThatCannotStartIsAStartErrorNotAFailure() throws Exception {
    AgentRun run =
        run(List.of(dir.resolve("missing-agent").toString()), bead("t"), Duration.ofSeconds(30));

    assertThat(run.started()).isFalse();
    assertThat(run.startError()).contains("cannot start");
    assertThat(run.succeeded()).isFalse();
  }

  @Test
  void theTimeoutKillsTheAgentAndWhatItStarted() throws Exception {
    Path child = dir.resolve("child.pid");
    AgentRun run =
        run(
            List.of("/bin/sh", "-c", "sleep 300 & echo $! > \"$0\"; wait", child.toString()),
            bead("t"),
            Duration.ofSeconds(1));

    assertThat(run.timedOut()).isTrue();
    long pid = Long.parseLong(Files.readString(child).strip());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void aBeadIdCannotLeaveTheLogFolder() {
    assertThat(AgentRunner.safe("../../etc/passwd"))
        .doesNotContain("/")
        .isEqualTo(".._.._etc_passwd");
  }
}
