package dev.beadpool.cli;

import static dev.beadpool.cli.JarProcesses.jar;
import static dev.beadpool.cli.JarProcesses.javaBin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.bead.Json;
import dev.beadpool.store.BeadStore;
import dev.beadpool.testhelper.Corpus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar as a real child process, as a user would. */
class BeadpoolJarIT {
  @TempDir Path dir;

  static ProcessBuilder beadpool(String... args) {
    List<String> command = new ArrayList<>(List.of(javaBin(), "-jar", jar().toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  record Run(int exit, String out, String err) {}

  static Run run(String... args) throws Exception {
    Process p = beadpool(args).start();
    p.getOutputStream().close();
    var out = p.getInputStream().readAllBytes();
    var err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void readyFromTheJarPrintsExactlyBdsIdsForEveryCorpusFile() throws Exception {
    for (String name : Corpus.names()) {
      Run r = run("ready", "--file", Corpus.export(name).toString(), "--json", "--limit", "0");
      assertThat(r.exit()).as(r.err()).isZero();
      JsonNode array = Json.MAPPER.readTree(r.out());
      List<String> ids = new ArrayList<>();
      array.forEach(n -> ids.add(n.get("id").asText()));
      assertThat(ids).as(name).containsExactlyElementsOf(Corpus.ready(name));
    }
  }

  @Test
  void exitCodesAreZeroOneAndTwo() throws Exception {
    assertThat(run("--help").exit()).isZero();
    Run missing = run("show", "nope-1", "--file", Corpus.export("diffview").toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("no issue found matching nope-1");
    Run usage = run("ready", "--no-such-option");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).doesNotContain("Exception");
  }

  @Test
  void anImportKilledHalfWayLeavesTheStoreUnchanged() throws Exception {
    Path db = dir.resolve(".beadpool/beads.db");
    assertThat(run("--help").exit()).isZero();
    Run seeded = run("import", "--db", db.toString(), Corpus.export("diffview").toString());
    assertThat(seeded.exit()).as(seeded.err()).isZero();
    String before = export(db);

    Path big = dir.resolve("big.jsonl");
    writeBeads(big, 60_000);
    Process importer =
        beadpool("import", "--db", db.toString(), "--progress", big.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    AtomicInteger percent = new AtomicInteger();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader err =
                  new BufferedReader(
                      new InputStreamReader(importer.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                  if (line.startsWith("import: ") && line.endsWith("%)")) {
                    percent.set(
                        Integer.parseInt(
                            line.substring(line.lastIndexOf('(') + 1, line.length() - 2)));
                  }
                }
              } catch (IOException ignored) {
                // the process was killed
              }
            });
    reader.start();

    await().atMost(Duration.ofSeconds(60)).until(() -> percent.get() >= 40 || !importer.isAlive());
    assertThat(importer.isAlive()).as("the import must still be running half way").isTrue();
    importer.destroyForcibly();
    assertThat(importer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    reader.join(10_000);

    assertThat(export(db)).isEqualTo(before);
    try (BeadStore store = BeadStore.open(db, Clock.systemUTC())) {
      assertThat(store.count()).isEqualTo(152);
    }
  }

  private String export(Path db) throws Exception {
    Path out = dir.resolve("export-" + System.nanoTime() + ".jsonl");
    Run r = run("export", "--db", db.toString(), out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    return Files.readString(out);
  }

  private static void writeBeads(Path file, int n) throws IOException {
    try (Writer w = Files.newBufferedWriter(file)) {
      for (int i = 0; i < n; i++) {
        w.write(
            "{\"id\":\"big-"
                + i
                + "\",\"title\":\"bead "
                + i
                + "\",\"description\":\""
                + "x".repeat(200)
                + "\",\"priority\":"
                + (i % 5)
                + ",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"");
        if (i > 0) {
          w.write(
              ",\"dependencies\":[{\"issue_id\":\"big-"
                  + i
                  + "\",\"depends_on_id\":\"big-"
                  + (i - 1)
                  + "\",\"type\":\"blocks\",\"created_at\":\"2026-01-01T00:00:00Z\"}]");
        }
        w.write("}\n");
      }
    }
  }

  @Test
  void theDemoRunsAsTheReadmeSays() throws Exception {
    Process demo = beadpool("demo").directory(Path.of("..").toFile()).start();
    demo.getOutputStream().close();
    byte[] err = demo.getErrorStream().readAllBytes();
    String out = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(demo.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(demo.exitValue()).as(new String(err, StandardCharsets.UTF_8)).isZero();
    assertThat(out)
        .contains("1 failure bead waiting for a human")
        .contains("FAILURE: ")
        .contains("in demo-b.3")
        .contains("33 beads, 23 closed")
        .contains(
            "the planning agent filed 3 tasks with bd create --parent and bd dep add:"
                + " [demo-e.2 (closed), demo-e.3 (closed), demo-e.4 (closed)]");
    assertThat(new String(err, StandardCharsets.UTF_8)).contains("approving demo-gate");
  }

  @Test
  void upRunsAnExportToTheEndAndSaysWhetherFailureBeadsWait() throws Exception {
    Path export = dir.resolve("work.jsonl");
    Files.writeString(
        export,
        """
        {"id":"up-1","title":"first","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"up-2","title":"second","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","dependencies":[{"issue_id":"up-2","depends_on_id":"up-1","type":"blocks","created_at":"2026-01-01T00:00:00Z"}]}
        """);
    Run ok =
        run(
            "up",
            "--db",
            dir.resolve("ok/.beadpool/beads.db").toString(),
            "--import",
            export.toString(),
            "--agent-command",
            "[\"/bin/true\"]",
            "--until-idle",
            "--workers",
            "2");
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.err()).contains("closed 2");

    Run failing =
        run(
            "up",
            "--db",
            dir.resolve("failing/.beadpool/beads.db").toString(),
            "--import",
            export.toString(),
            "--agent-command",
            "[\"/bin/false\"]",
            "--until-idle",
            "--retry-delay",
            "100ms",
            "--max-attempts",
            "2");
    assertThat(failing.exit()).as(failing.err()).isEqualTo(1);
    assertThat(failing.err()).contains("waiting for a human: ").contains("FAILURE: ");
  }
}
