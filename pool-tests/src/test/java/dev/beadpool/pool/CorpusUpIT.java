package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.IssueTypes;
import dev.beadpool.bead.Json;
import dev.beadpool.bead.Statuses;
import dev.beadpool.graph.ReadyEngine;
import dev.beadpool.graph.SortPolicy;
import dev.beadpool.jsonl.JsonlLine;
import dev.beadpool.jsonl.JsonlReader;
import dev.beadpool.testhelper.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real tracker of the corpus through {@code beadpool up --until-idle}, as a team would run
 * it: the packaged jar as a process, a scripted agent that exits 0. {@code up} must exit 0 or 1
 * within a bound, every bead that becomes dispatchable (ready by bd's rules, unassigned, not an
 * epic, not for a human) must close, and {@code export} must give back every bead of the input with
 * every key it came with. The larger trackers run under the {@code corpus} tag (what CI runs too,
 * with {@code -Dit.test=CorpusUpIT}); {@link #SHORT} is the short form that always runs.
 */
class CorpusUpIT extends ClusterProcesses {
  /** Long enough for the largest file on a loaded CI machine; a hang is what this catches. */
  static final Duration BOUND = Duration.ofMinutes(3);

  /**
   * Keys the pool writes as it runs and closes a bead; every other key must come back as it was.
   */
  static final Set<String> WRITTEN_BY_THE_POOL =
      Set.of(
          "status",
          "assignee",
          "updated_at",
          "started_at",
          "closed_at",
          "close_reason",
          "notes",
          "metadata");

  /** Records "ID" per run to the ledger, then succeeds. */
  static final String AGENT =
      """
      #!/bin/sh
      echo "$BEAD_ID" >> "$1"
      """;

  static Stream<String> corpus() {
    return Corpus.names().stream();
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void upRunsARealTrackerToTheEndAndExportGivesBackEveryBead(String name) throws Exception {
    testName = testName + "-" + name;
    Path input = dir.resolve("issues.jsonl");
    Files.copy(Corpus.export(name), input);
    Path db = dir.resolve(".beadpool/beads.db");
    Map<String, Bead> before = beads(input);
    Set<String> dispatchableAtStart = dispatchable(before.values());

    long started = System.nanoTime();
    Process up =
        start(
            "up",
            "up",
            "--db",
            db.toString(),
            "--import",
            input.toString(),
            "--agent-command",
            agentCommand(AGENT),
            "--workers",
            "4",
            "--until-idle");
    boolean exited = up.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    String log = Files.readString(dir.resolve("up.log"));
    assertThat(exited)
        .as("up --until-idle on %s still running after %s:%n%s", name, BOUND, log)
        .isTrue();
    assertThat(up.exitValue()).as(log).isIn(0, 1);

    Path output = dir.resolve("out.jsonl");
    Process export = start("export", "export", "--db", db.toString(), output.toString());
    assertThat(export.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(export.exitValue()).as(Files.readString(dir.resolve("export.log"))).isZero();
    Map<String, Bead> after = beads(output);

    // every input bead comes back, with every key it came with
    assertThat(after.keySet()).as(name).containsAll(before.keySet());
    Map<String, ObjectNode> in = objects(input);
    Map<String, ObjectNode> out = objects(output);
    in.forEach(
        (id, expected) -> {
          ObjectNode got = out.get(id);
          expected
              .fieldNames()
              .forEachRemaining(
                  key -> {
                    assertThat(got.has(key)).as("%s of %s", key, id).isTrue();
                    if (!WRITTEN_BY_THE_POOL.contains(key)) {
                      assertThat(got.get(key)).as("%s of %s", key, id).isEqualTo(expected.get(key));
                    }
                  });
        });

    // every bead that became dispatchable ran and closed: none is left, none closed unrun
    List<String> ran =
        Files.exists(dir.resolve("ledger.txt"))
            ? Files.readAllLines(dir.resolve("ledger.txt"))
            : List.of();
    assertThat(dispatchable(after.values())).as("still dispatchable in %s", name).isEmpty();
    for (String id : dispatchableAtStart) {
      assertThat(after.get(id).status()).as(id).isEqualTo(Statuses.CLOSED);
    }
    Set<String> closedByThePool = new HashSet<>();
    after.forEach(
        (id, bead) -> {
          Bead was = before.get(id);
          if (was != null && !was.isClosed() && bead.isClosed()) {
            closedByThePool.add(id);
          }
        });
    assertThat(new HashSet<>(ran)).as(name).isEqualTo(closedByThePool);
    assertThat(ran).as("each bead ran once").doesNotHaveDuplicates();
    System.out.printf(
        "corpus %s: %d beads, %d dispatchable at start, %d run and closed, up took %.1f s%n",
        name, before.size(), dispatchableAtStart.size(), ran.size(), took.toMillis() / 1000.0);
  }

  /** Ready by bd's rules, unassigned, not an epic, not for a human: docs/pool.md. */
  static Set<String> dispatchable(java.util.Collection<Bead> beads) {
    ReadyEngine engine = ReadyEngine.ofBeads(beads);
    Map<String, Bead> byId = new LinkedHashMap<>();
    beads.forEach(b -> byId.put(b.id(), b));
    Set<String> ids = new HashSet<>();
    engine.ready(SortPolicy.PRIORITY, Instant.now(), 0).stream()
        .map(s -> byId.get(s.id()))
        .filter(b -> b.assignee() == null)
        .filter(b -> !IssueTypes.EPIC.equals(b.issueType()))
        .filter(b -> b.labels().stream().noneMatch(Set.of("approval", "failure")::contains))
        .forEach(b -> ids.add(b.id()));
    return ids;
  }

  static Map<String, Bead> beads(Path file) throws Exception {
    Map<String, Bead> beads = new LinkedHashMap<>();
    for (JsonlLine line : JsonlReader.readAll(file)) {
      assertThat(line).isNotInstanceOf(JsonlLine.Invalid.class);
      if (line instanceof JsonlLine.Issue issue) {
        beads.put(issue.bead().id(), issue.bead());
      }
    }
    return beads;
  }

  /** The issue objects of a file by id, export-only keys and tombstones left out. */
  static Map<String, ObjectNode> objects(Path file) throws Exception {
    Map<String, ObjectNode> byId = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node = Json.MAPPER.readTree(line);
      if (!(node instanceof ObjectNode object)
          || !object.has("id")
          || Statuses.TOMBSTONE.equals(object.path("status").asText())) {
        continue;
      }
      object.remove(Bead.EXPORT_ONLY_KEYS);
      byId.put(object.get("id").asText(), object);
    }
    return byId;
  }
}
