package dev.beadpool.agent.bd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.bead.Json;
import dev.beadpool.protocol.BdOperation;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.testhelper.Beads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BdSupportTest {
  @TempDir Path runDir;

  @Test
  void prepareWritesTheContextAnEmptyOpsFileAndAnExecutableScript() throws IOException {
    BdSupport.Prepared prepared =
        BdSupport.prepare(runDir, BdFixture.dispatch(BdFixture.BEAD), "agent-7");

    assertThat(prepared.contextFile())
        .isEqualTo(runDir.toAbsolutePath().resolve("bd/context.json"));
    JsonNode context = Json.parseOrNull(Files.readString(prepared.contextFile()));
    assertThat(context.fieldNames())
        .toIterable()
        .containsExactly("bead", "related", "prefix", "childCounters", "actor");
    assertThat(context.path("bead")).isEqualTo(Beads.node(BdFixture.BEAD));
    assertThat(context.path("related")).hasSize(3);
    assertThat(context.path("prefix").asText()).isEqualTo("bd");
    assertThat(context.path("childCounters").path("bd-a1b2").asInt()).isEqualTo(3);
    assertThat(context.path("actor").asText()).isEqualTo("agent-7");
    assertThat(prepared.opsFile()).isEmptyFile();
    Path script = prepared.binDir().resolve("bd");
    assertThat(Files.isExecutable(script)).isTrue();
    String text = Files.readString(script);
    assertThat(text).startsWith("#!/bin/sh\n");
    assertThat(text).contains("exec '").contains(" dev.beadpool.agent.bd.BdShim \"$@\"\n");
    assertThat(text).contains("-XX:TieredStopAtLevel=1").contains("-XX:+UseSerialGC");
    assertThat(text).doesNotContain("Fix login").doesNotContain("bd-a1b2");
  }

  @Test
  void everyRunSharesTheScriptAndOneRemovedIsMadeAgain(@TempDir Path otherRun) throws IOException {
    BdSupport.Prepared first =
        BdSupport.prepare(runDir, BdFixture.dispatch(BdFixture.BEAD), "agent-7");
    BdSupport.Prepared second =
        BdSupport.prepare(otherRun, BdFixture.dispatch(BdFixture.BEAD), "agent-8");

    assertThat(second.binDir()).isEqualTo(first.binDir());
    assertThat(second.contextFile()).isNotEqualTo(first.contextFile());
    try (var listed = Files.list(first.binDir())) {
      assertThat(listed).extracting(p -> p.getFileName().toString()).containsExactly("bd");
    }

    // a temp cleaner removed it under a long-running worker: the next run makes it again
    Files.delete(first.binDir().resolve("bd"));
    BdSupport.Prepared third =
        BdSupport.prepare(otherRun, BdFixture.dispatch(BdFixture.BEAD), "agent-8");

    assertThat(Files.isExecutable(third.binDir().resolve("bd"))).isTrue();
  }

  @Test
  void prepareEmptiesTheOpsFileOfAnEarlierTurn() throws IOException {
    BdSupport.Prepared first =
        BdSupport.prepare(runDir, BdFixture.dispatch(BdFixture.BEAD), "agent-7");
    Files.writeString(first.opsFile(), "{\"op\":\"comment\"}\n");

    BdSupport.Prepared second =
        BdSupport.prepare(runDir, BdFixture.dispatch(BdFixture.BEAD), "agent-7");

    assertThat(second.opsFile()).isEmptyFile();
  }

  @Test
  void withoutAContextThePrefixComesFromTheBeadId() throws IOException {
    var bead =
        Beads.node(
            "{\"id\":\"hq-cv-d46qe\",\"title\":\"T\",\"created_at\":\"2026-01-01T00:00:00Z\","
                + "\"updated_at\":\"2026-01-01T00:00:00Z\"}");

    BdSupport.Prepared prepared =
        BdSupport.prepare(runDir, DispatchMessage.of("hq-cv-d46qe", 1, 1, bead), "w");

    BdContext context = BdContext.read(prepared.contextFile());
    assertThat(context.prefix()).isEqualTo("hq-cv");
    assertThat(context.related()).isEmpty();
    assertThat(context.childCounters()).isEmpty();
  }

  @Test
  void environmentNamesTheContextTheOpsFileAndTheActor() throws IOException {
    BdSupport.Prepared prepared =
        BdSupport.prepare(runDir, BdFixture.dispatch(BdFixture.BEAD), "agent-7");

    assertThat(prepared.environment())
        .containsEntry("BEADPOOL_BD_CONTEXT", prepared.contextFile().toString())
        .containsEntry("BEADPOOL_BD_OPS", prepared.opsFile().toString())
        .containsEntry("BEADPOOL_BD_ACTOR", "agent-7")
        .hasSize(3);
    assertThat(prepared.contextFile()).isAbsolute();
  }

  @Test
  void shellQuotingKeepsQuotesDollarsAndBackticksLiteral() throws Exception {
    String nasty = "/opt/it's $(rm -rf ~) `x` \"y\" \\z;&|";

    Process sh =
        new ProcessBuilder("sh", "-c", "printf %s " + BdSupport.shellQuote(nasty))
            .redirectErrorStream(true)
            .start();

    assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo(nasty);
  }

  // ---- the operations file -----------------------------------------------------------------

  static final BdOperation COMMENT = BdOperation.comment("bd-a1b2", "one", "2026-03-01T12:00:00Z");
  static final BdOperation CLOSE = BdOperation.close("bd-a1b2", "done", "2026-03-01T12:00:01Z");

  @Test
  void anOperationIsOneCompactLineWithoutNulls() {
    String line =
        OpsFile.line(
            BdOperation.comment("bd-a1b2", "two\nlines \"quoted\"", "2026-03-01T12:00:00Z"));

    assertThat(line)
        .isEqualTo(
            "{\"op\":\"comment\",\"id\":\"bd-a1b2\",\"text\":\"two\\nlines \\\"quoted\\\"\","
                + "\"at\":\"2026-03-01T12:00:00Z\"}\n");
  }

  @Test
  void readOperationsSkipsATornLastLine() throws IOException {
    Path ops = runDir.resolve("ops.jsonl");
    Files.writeString(ops, OpsFile.line(COMMENT) + OpsFile.line(CLOSE) + "{\"op\":\"upd");

    assertThat(BdSupport.readOperations(ops)).containsExactly(COMMENT, CLOSE);
  }

  @Test
  void theNextWriterCutsOffATornLineBeforeAppending() throws IOException {
    BdFixture bd = new BdFixture(runDir);
    Path ops = bd.prepared.opsFile();
    Files.writeString(ops, OpsFile.line(COMMENT) + "{\"op\":\"comment\",\"id\":\"bd-a");

    var result = bd.bd("close", "bd-a1b2", "--reason", "done");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(Files.readString(ops))
        .isEqualTo(
            OpsFile.line(COMMENT)
                + OpsFile.line(BdOperation.close("bd-a1b2", "done", "2026-03-01T12:00:00Z")));
  }

  @Test
  void aCompleteLineThatIsNotAnOperationIsAnErrorNamingTheLine() throws IOException {
    Path ops = runDir.resolve("ops.jsonl");
    Files.writeString(ops, OpsFile.line(COMMENT) + "rm -rf /\n" + OpsFile.line(CLOSE));

    assertThatThrownBy(() -> BdSupport.readOperations(ops))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ops.jsonl:2: not a bd operation");
  }

  @Test
  void anUnknownOperationKindIsAnError() throws IOException {
    Path ops = runDir.resolve("ops.jsonl");
    Files.writeString(ops, "{\"op\":\"delete\",\"id\":\"bd-a1b2\"}\n");

    assertThatThrownBy(() -> BdSupport.readOperations(ops))
        .hasMessageContaining("ops.jsonl:1: unknown operation delete");
  }

  @Test
  void aMissingOpsFileMeansNoOperations() throws IOException {
    assertThat(BdSupport.readOperations(runDir.resolve("gone.jsonl"))).isEqualTo(List.of());
  }
}
