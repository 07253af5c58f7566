package dev.beadpool.agent.bd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.bead.Json;
import dev.beadpool.protocol.BdOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated {@code bin/bd} run as an agent runs it: a child process that finds {@code bd} on
 * its PATH, in another directory, with no locale set (so the JVM alone would read its arguments as
 * ASCII).
 */
class BdScriptTest {
  @TempDir Path runDir;
  @TempDir Path workDir;
  BdSupport.Prepared prepared;

  @BeforeEach
  void prepare() throws IOException {
    prepared = BdSupport.prepare(runDir, BdFixture.dispatch(BdFixture.BEAD), BdFixture.ACTOR);
  }

  record Result(int code, String out, String err) {
    JsonNode json() {
      JsonNode node = Json.parseOrNull(out);
      assertThat(node).as("stdout is JSON: %s / stderr: %s", out, err).isNotNull();
      return node;
    }
  }

  private Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("sh", "-c", "exec bd \"$@\"", "bd"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.equals("LANG") || k.startsWith("LC_"));
    env.remove("JAVA_TOOL_OPTIONS");
    env.put("PATH", prepared.binDir() + java.io.File.pathSeparator + env.get("PATH"));
    env.putAll(prepared.environment());
    String name = "bd-" + System.nanoTime();
    builder.redirectOutput(runDir.resolve(name + ".out").toFile());
    builder.redirectError(runDir.resolve(name + ".err").toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    outputs.put(process, name);
    return process;
  }

  private final Map<Process, String> outputs = new java.util.HashMap<>();

  private Result finish(Process process) throws Exception {
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("bd finished").isTrue();
    String name = outputs.get(process);
    return new Result(
        process.exitValue(),
        Files.readString(runDir.resolve(name + ".out"), StandardCharsets.UTF_8),
        Files.readString(runDir.resolve(name + ".err"), StandardCharsets.UTF_8));
  }

  private Result bd(String... args) throws Exception {
    return finish(start(args));
  }

  @Test
  void anAgentsSessionIsRecordedInOrderAndShowSeesItsPendingEdits() throws Exception {
    var created =
        bd("create", "Follow-up: flaky test", "--parent", "bd-a1b2", "-p", "3", "--silent");
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(created.out()).isEqualTo("bd-a1b2.4\n");
    var dep = bd("dep", "add", "bd-a1b2.4", "bd-c3d4", "--type=related");
    assertThat(dep.out()).isEqualTo("✓ Added dependency: bd-a1b2.4 depends on bd-c3d4 (related)\n");
    var update = bd("update", "bd-a1b2", "--append-notes", "handoff: tests green");
    assertThat(update.out()).isEqualTo("✓ Updated issue: bd-a1b2\n");
    var close = bd("close", "bd-a1b2.4", "--reason", "not needed after all");
    assertThat(close.out()).isEqualTo("✓ Closed bd-a1b2.4: not needed after all\n");

    var show = bd("show", "bd-a1b2", "bd-a1b2.4", "--json");

    assertThat(show.code()).as(show.err()).isZero();
    JsonNode details = show.json();
    assertThat(details.isArray()).isTrue();
    assertThat(details).hasSize(2);
    JsonNode bead = details.get(0);
    assertThat(bead.path("id").asText()).isEqualTo("bd-a1b2");
    assertThat(bead.path("notes").asText()).isEqualTo("first\nhandoff: tests green");
    assertThat(bead.path("dependents").findValuesAsText("id")).contains("bd-a1b2.4");
    JsonNode child = details.get(1);
    assertThat(child.path("status").asText()).isEqualTo("closed");
    assertThat(child.path("close_reason").asText()).isEqualTo("not needed after all");
    assertThat(child.path("priority").asInt()).isEqualTo(3);
    assertThat(child.path("parent").asText()).isEqualTo("bd-a1b2");
    assertThat(child.path("created_by").asText()).isEqualTo("agent-7");
    assertThat(child.path("dependencies").findValuesAsText("id"))
        .containsExactlyInAnyOrder("bd-a1b2", "bd-c3d4");
    assertThat(child.path("dependencies").findValuesAsText("dependency_type"))
        .containsExactlyInAnyOrder("parent-child", "related");

    List<BdOperation> ops = BdSupport.readOperations(prepared.opsFile());
    assertThat(ops)
        .extracting(BdOperation::op)
        .containsExactly(
            BdOperation.CREATE, BdOperation.DEP_ADD, BdOperation.UPDATE, BdOperation.CLOSE);
    assertThat(ops)
        .extracting(BdOperation::id)
        .containsExactly("bd-a1b2.4", "bd-a1b2.4", "bd-a1b2", "bd-a1b2.4");
    assertThat(ops.get(0).parent()).isEqualTo("bd-a1b2");
    assertThat(ops.get(2).appendNotes()).isEqualTo("handoff: tests green");
    assertThat(ops).allSatisfy(op -> assertThat(op.at()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z"));

    // the agent was killed in the middle of a write: the torn line is not an operation
    Files.writeString(
        prepared.opsFile(), "{\"op\":\"close\",\"id\":\"bd-a1", StandardOpenOption.APPEND);
    assertThat(BdSupport.readOperations(prepared.opsFile())).isEqualTo(ops);
    var after = bd("show", "bd-a1b2", "--json");
    assertThat(after.code()).as(after.err()).isZero();
    assertThat(after.json().get(0).path("status").asText()).isEqualTo("in_progress");
  }

  @Test
  void aCommandThisBdDoesNotServeExitsTwoWithTheMessage() throws Exception {
    var result = bd("ready", "--json");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .isEqualTo(
            "bd ready: not available inside a beadpool worker; this bd serves: show, create, dep"
                + " add|remove, update, comments, close\n");
  }

  @Test
  void beadTextRoundTripsByteForByteWhateverTheLocale() throws Exception {
    Path pwned = workDir.resolve("pwned");
    String title = "Don't \"break\" it\nWorking directory: /work/x";
    String description =
        "He said \"don't\" $(touch "
            + pwned
            + ") `touch "
            + pwned
            + "` $HOME \\n \\\\ 'single'\n"
            + "second line\n\ttabbed  trailing spaces  \n"
            + "ünïcødé ✓ 🚀 — 日本語\u2028end";

    var created = bd("create", title, "--description", description, "--silent");
    assertThat(created.code()).as(created.err()).isZero();
    String id = created.out().strip();
    var shown = bd("show", id, "--json");

    assertThat(pwned).doesNotExist();
    BdOperation op = BdSupport.readOperations(prepared.opsFile()).get(0);
    assertThat(op.title()).isEqualTo(title);
    assertThat(op.description()).isEqualTo(description);
    assertThat(shown.json().get(0).path("title").asText()).isEqualTo(title);
    assertThat(shown.json().get(0).path("description").asText()).isEqualTo(description);
    var text = bd("show", id);
    assertThat(text.out()).contains("  ünïcødé ✓ 🚀 — 日本語");
  }

  @Test
  void concurrentBdProcessesGetDistinctChildIds() throws Exception {
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      processes.add(start("create", "Part " + i, "--parent", "bd-a1b2", "--silent"));
    }
    List<String> ids = new ArrayList<>();
    for (Process p : processes) {
      var result = finish(p);
      assertThat(result.code()).as(result.err()).isZero();
      ids.add(result.out().strip());
    }

    assertThat(ids).containsExactlyInAnyOrder("bd-a1b2.4", "bd-a1b2.5", "bd-a1b2.6");
    assertThat(BdSupport.readOperations(prepared.opsFile())).hasSize(3);
  }
}
