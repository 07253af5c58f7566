package dev.beadpool.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import dev.beadpool.testhelper.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StoreImportExportTest {
  static final Clock CLOCK = Clock.fixed(Corpus.EVALUATED_AT, ZoneOffset.UTC);

  @TempDir Path dir;

  static Stream<String> corpus() {
    return Corpus.names().stream();
  }

  static Map<String, ObjectNode> objectsById(Path jsonl) throws IOException {
    Map<String, ObjectNode> byId = new LinkedHashMap<>();
    for (String line : Files.readAllLines(jsonl)) {
      if (line.isBlank()) {
        continue;
      }
      ObjectNode node = (ObjectNode) Json.MAPPER.readTree(line);
      node.remove(Bead.EXPORT_ONLY_KEYS);
      byId.put(node.get("id").asText(), node);
    }
    return byId;
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void importThenExportGivesBackEveryObject(String name) throws IOException {
    Path export = dir.resolve("out.jsonl");
    try (BeadStore store = BeadStore.open(dir.resolve("beads.db"), CLOCK)) {
      ImportResult result = store.importFile(Corpus.export(name), "test", null);
      assertThat(result.invalid()).isEmpty();
      store.exportTo(export);
    }

    Map<String, ObjectNode> in = objectsById(Corpus.export(name));
    Map<String, ObjectNode> out = objectsById(export);

    assertThat(out.keySet()).containsExactlyInAnyOrderElementsOf(in.keySet());
    in.forEach((id, expected) -> assertThat(out.get(id)).as(id).isEqualTo(expected));
    List<String> exportedIds = List.copyOf(out.keySet());
    assertThat(exportedIds).isSorted();
  }

  @Test
  void exportWritesBdCountsAndType() throws IOException {
    Path input = dir.resolve("in.jsonl");
    Files.writeString(
        input,
        """
        {"id":"bd-a","title":"A","priority":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","dependencies":[{"issue_id":"bd-a","depends_on_id":"bd-b","type":"blocks","created_at":"2026-01-01T00:00:00Z"},{"issue_id":"bd-a","depends_on_id":"bd-c","type":"related","created_at":"2026-01-01T00:00:00Z"}],"comments":[{"id":1,"issue_id":"bd-a","author":"x","text":"hi","created_at":"2026-01-01T00:00:00Z"}]}
        {"id":"bd-b","title":"B","priority":0,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"bd-c","title":"C","priority":2,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        """);
    Path export = dir.resolve("out.jsonl");
    try (BeadStore store = BeadStore.open(dir.resolve("beads.db"), CLOCK)) {
      store.importFile(input, "test", null);
      store.exportTo(export);
    }
    List<String> lines = Files.readAllLines(export);
    ObjectNode a = (ObjectNode) Json.MAPPER.readTree(lines.get(0));
    ObjectNode b = (ObjectNode) Json.MAPPER.readTree(lines.get(1));
    assertThat(a.get("_type").asText()).isEqualTo("issue");
    assertThat(a.get("dependency_count").asInt()).isEqualTo(1);
    assertThat(a.get("comment_count").asInt()).isEqualTo(1);
    assertThat(b.get("dependent_count").asInt()).isEqualTo(1);
    assertThat(b.get("priority").asInt()).isZero();
  }

  @Test
  void brokenLinesAreReportedByLineAndTheRestImports() throws IOException {
    Path input = dir.resolve("broken.jsonl");
    Files.writeString(
        input,
        """
        {"id":"bd-1","title":"good","priority":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"bd-2","title":"bad json",
        {"id":"bd-3","title":"P9","priority":9,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"bd-4","priority":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"bd-5","title":"closed","status":"closed","priority":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}

        {"id":"bd-6","title":"also good","priority":2,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","metadata":"{not json"}
        {"id":"bd-7","title":"good too","priority":2,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","dependencies":[{"issue_id":"bd-7","depends_on_id":"bd-1","type":"blocks","created_at":"2026-01-01T00:00:00Z","metadata":"{oops"}]}
        {"id":"bd-8","title":"ok","priority":2,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","dependencies":[{"issue_id":"bd-8","depends_on_id":"bd-404","type":"blocks","created_at":"2026-01-01T00:00:00Z"}]}
        """);
    try (BeadStore store = BeadStore.open(dir.resolve("beads.db"), CLOCK)) {
      ImportResult result = store.importFile(input, "test", null);

      assertThat(result.created()).isEqualTo(3);
      assertThat(result.invalid())
          .extracting(JsonlLineFormat::describe)
          .containsExactly(
              "2:(line):not valid JSON",
              "3:priority:must be 0..4, was 9",
              "4:title:is required",
              "7:metadata:is a string that is not well-formed JSON",
              "8:dependencies[0].metadata:is not well-formed JSON");
      assertThat(result.invalid().get(1).message())
          .startsWith(input + ":3: priority: must be 0..4, was 9");
      assertThat(result.skippedEdges()).containsExactly("bd-8 -> bd-404 (blocks)");
      // why bd-5 loads: a closed bead without closed_at is one bd itself once wrote (BEADS.md 2)
      assertThat(result.warnings())
          .extracting(w -> w.lineNumber() + ":" + w.field())
          .containsExactly("5:closed_at");
      assertThat(store.list(BeadFilter.ALL))
          .extracting(Bead::id)
          .containsExactly("bd-1", "bd-5", "bd-8");
    }
  }

  @Test
  void anInvalidUtf8ByteCostsItsLineAndTheOtherLinesLoad() throws IOException {
    Path input = dir.resolve("latin1.jsonl");
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    bytes.writeBytes(
        """
        {"id":"bd-1","title":"one","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"bd-2","title":"caf"""
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    bytes.write(0xe9);
    bytes.writeBytes(
        """
        ","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"bd-3","title":"three","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        """
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Files.write(input, bytes.toByteArray());
    try (BeadStore store = BeadStore.open(dir.resolve("beads.db"), CLOCK)) {
      ImportResult result = store.importFile(input, "test", null);

      assertThat(result.created()).isEqualTo(2);
      assertThat(result.invalid())
          .extracting(dev.beadpool.jsonl.JsonlLine.Invalid::message)
          .containsExactly(input + ":2: not valid UTF-8: byte 0xe9 at byte 26 of the line");
      assertThat(store.list(BeadFilter.ALL)).extracting(Bead::id).containsExactly("bd-1", "bd-3");
    }
  }

  static List<String> warningMessages(ImportResult result) {
    return result.warnings().stream().map(dev.beadpool.jsonl.LineWarning::message).toList();
  }

  @Test
  void aDuplicateIdKeepsTheCopyWithTheNewerUpdatedAtAndSaysWhichWasKept() throws IOException {
    Path input = dir.resolve("dup.jsonl");
    Files.writeString(
        input,
        """
        {"id":"bd-1","title":"old","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","dependencies":[{"issue_id":"bd-1","depends_on_id":"bd-2","type":"blocks","created_at":"2026-01-01T00:00:00Z"}]}
        {"id":"bd-2","title":"two","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"bd-1","title":"new","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-05T00:00:00Z"}
        {"id":"bd-3","title":"newer first","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-05T00:00:00Z"}
        {"id":"bd-3","title":"older second","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-02T00:00:00Z"}
        """);
    try (BeadStore store = BeadStore.open(dir.resolve("beads.db"), CLOCK)) {
      ImportResult result = store.importFile(input, "test", null);

      assertThat(result.created()).isEqualTo(3);
      assertThat(result.invalid()).isEmpty();
      assertThat(warningMessages(result))
          .containsExactly(
              input
                  + ":3: id: duplicate id bd-1: kept this copy (a newer updated_at than line 1),"
                  + " the copy at line 1 replaced",
              input
                  + ":5: id: duplicate id bd-3: kept the copy at line 4 (a newer updated_at),"
                  + " this line skipped");
      assertThat(result.clean()).isFalse();
      assertThat(store.get("bd-1").title()).isEqualTo("new");
      assertThat(store.get("bd-1").dependencies()).isEmpty();
      assertThat(store.get("bd-3").title()).isEqualTo("newer first");
      assertThat(store.loadEngine().isBlocked("bd-1"))
          .as("the edge of the replaced copy is not in the graph")
          .isFalse();
    }
  }

  @Test
  void aDuplicateIdUpdatesAStoredBeadOnceWithTheNewerCopy() throws IOException {
    Path first = dir.resolve("first.jsonl");
    Files.writeString(
        first,
        """
        {"id":"bd-1","title":"stored","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-02T00:00:00Z"}
        """);
    Path second = dir.resolve("second.jsonl");
    Files.writeString(
        second,
        """
        {"id":"bd-1","title":"newest","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-09T00:00:00Z"}
        {"id":"bd-1","title":"older than the store","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"bd-1","title":"newer than the store only","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-03T00:00:00Z"}
        """);
    try (BeadStore store = BeadStore.open(dir.resolve("beads.db"), CLOCK)) {
      store.importFile(first, "test", null);

      ImportResult result = store.importFile(second, "test", null);

      assertThat(result.updated()).isEqualTo(1);
      assertThat(result.created() + result.unchanged() + result.stale()).isZero();
      assertThat(result.warnings()).hasSize(2);
      assertThat(store.get("bd-1").title()).isEqualTo("newest");
    }
  }

  @Test
  void aSelfDependencyCostsItsEdgeOnlyAndTheBeadLoads() throws IOException {
    Path input = dir.resolve("self.jsonl");
    Files.writeString(
        input,
        """
        {"id":"bd-2","title":"two","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"bd-1","title":"one","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","dependencies":[{"issue_id":"bd-1","depends_on_id":"bd-1","type":"blocks","created_at":"2026-01-01T00:00:00Z"},{"issue_id":"bd-1","depends_on_id":"bd-2","type":"related","created_at":"2026-01-01T00:00:00Z"}]}
        """);
    Path export = dir.resolve("out.jsonl");
    try (BeadStore store = BeadStore.open(dir.resolve("beads.db"), CLOCK)) {
      ImportResult result = store.importFile(input, "test", null);
      store.exportTo(export);

      assertThat(result.created()).isEqualTo(2);
      assertThat(result.invalid()).isEmpty();
      assertThat(warningMessages(result))
          .containsExactly(
              input
                  + ":2: dependencies[0]: bd-1 depends on itself (blocks): edge dropped, the bead"
                  + " kept");
      assertThat(store.get("bd-1").dependencies())
          .extracting(dev.beadpool.bead.Dependency::dependsOnId)
          .containsExactly("bd-2");
      assertThat(store.loadEngine().isReady("bd-1", CLOCK.instant())).isTrue();
    }
    assertThat(objectsById(export).get("bd-1").get("dependencies")).hasSize(1);
  }

  @Test
  void aDependencyCycleInTheFileIsReportedWithItsLinesAndTheBeadsItKeepsBlocked()
      throws IOException {
    Path input = dir.resolve("cycle.jsonl");
    Files.writeString(
        input,
        """
        {"id":"bd-a","title":"A","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","dependencies":[{"issue_id":"bd-a","depends_on_id":"bd-b","type":"blocks","created_at":"2026-01-01T00:00:00Z"}]}
        {"id":"bd-c","title":"C","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"bd-b","title":"B","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","dependencies":[{"issue_id":"bd-b","depends_on_id":"bd-a","type":"blocks","created_at":"2026-01-01T00:00:00Z"}]}
        """);
    try (BeadStore store = BeadStore.open(dir.resolve("beads.db"), CLOCK)) {
      ImportResult result = store.importFile(input, "test", null);

      assertThat(result.created()).isEqualTo(3);
      assertThat(result.cycles()).containsExactly(List.of("bd-a", "bd-b", "bd-a"));
      assertThat(warningMessages(result))
          .containsExactly(
              input
                  + ":1: dependencies: dependency cycle bd-a -> bd-b -> bd-a (edges on lines 1,"
                  + " 3): bd-a, bd-b stay blocked until one of its edges is removed (beadpool dep"
                  + " remove)");
      assertThat(store.loadEngine().cycles()).containsExactly(List.of("bd-a", "bd-b", "bd-a"));
    }
  }

  @Test
  void aCycleOfEdgesAlreadyStoredAndInTheFileIsReportedToo() throws IOException {
    Path first = dir.resolve("first.jsonl");
    Files.writeString(
        first,
        """
        {"id":"bd-a","title":"A","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","dependencies":[{"issue_id":"bd-a","depends_on_id":"bd-b","type":"blocks","created_at":"2026-01-01T00:00:00Z"}]}
        {"id":"bd-b","title":"B","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        """);
    Path second = dir.resolve("second.jsonl");
    Files.writeString(
        second,
        """
        {"id":"bd-b","title":"B","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-02T00:00:00Z","dependencies":[{"issue_id":"bd-b","depends_on_id":"bd-a","type":"parent-child","created_at":"2026-01-01T00:00:00Z"}]}
        """);
    try (BeadStore store = BeadStore.open(dir.resolve("beads.db"), CLOCK)) {
      assertThat(store.importFile(first, "test", null).clean()).isTrue();

      ImportResult result = store.importFile(second, "test", null);

      assertThat(result.cycles()).containsExactly(List.of("bd-a", "bd-b", "bd-a"));
      assertThat(warningMessages(result).get(0))
          .startsWith(
              second
                  + ":1: dependencies: dependency cycle bd-a -> bd-b -> bd-a (edges on lines 1)");
    }
  }

  @Test
  void aPriorityWrittenAsP1IsStoredAsBdsNumberWithAWarning() throws IOException {
    Path input = dir.resolve("p1.jsonl");
    Files.writeString(
        input,
        """
        {"id":"bd-1","title":"one","priority":"P1","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"bd-2","title":"two","priority":"high","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        """);
    try (BeadStore store = BeadStore.open(dir.resolve("beads.db"), CLOCK)) {
      ImportResult result = store.importFile(input, "test", null);

      assertThat(store.get("bd-1").priority()).isEqualTo(1);
      assertThat(store.get("bd-1").field("priority").isInt()).isTrue();
      assertThat(warningMessages(result))
          .containsExactly(input + ":1: priority: \"P1\" read as 1, bd's form");
      assertThat(result.invalid())
          .extracting(dev.beadpool.jsonl.JsonlLine.Invalid::message)
          .containsExactly(input + ":2: priority: must be 0..4 or P0..P4, was 'high' (issue bd-2)");
    }
  }

  /** Formats an invalid line compactly for assertions. */
  static final class JsonlLineFormat {
    static String describe(dev.beadpool.jsonl.JsonlLine.Invalid invalid) {
      String rule = invalid.rule();
      int colon = rule.indexOf(':');
      String head =
          invalid.field() == null && colon > 0
              ? rule.substring(0, colon)
              : rule.replaceAll(" \\(issue .*\\)$", "");
      return invalid.lineNumber()
          + ":"
          + (invalid.field() == null ? "(line)" : invalid.field())
          + ":"
          + head;
    }
  }

  @Test
  void anImportThatFailsHalfWayLeavesTheStoreAsItWas() throws IOException {
    Path db = dir.resolve("beads.db");
    Path first = dir.resolve("first.jsonl");
    Files.writeString(
        first,
        """
        {"id":"bd-1","title":"one","priority":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        """);
    try (BeadStore store = BeadStore.open(db, CLOCK)) {
      store.importFile(first, "test", null);
    }
    String before = exportText(db);

    try (BeadStore store = BeadStore.open(db, CLOCK)) {
      assertThatThrownBy(
              () ->
                  store.importFile(
                      Corpus.export("beads-2026-02"),
                      "test",
                      line -> {
                        if (line == 350) {
                          throw new IllegalStateException("simulated crash at line 350");
                        }
                      }))
          .hasMessageContaining("simulated crash");
      assertThat(store.count()).isEqualTo(1);
    }
    assertThat(exportText(db)).isEqualTo(before);
  }

  private String exportText(Path db) throws IOException {
    Path out = dir.resolve("check.jsonl");
    try (BeadStore store = BeadStore.open(db, CLOCK)) {
      store.exportTo(out);
    }
    return Files.readString(out);
  }

  @Test
  void reimportCountsUnchangedUpdatedAndStale() throws IOException {
    Path v1 = dir.resolve("v1.jsonl");
    Files.writeString(
        v1,
        """
        {"id":"bd-1","title":"one","priority":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-02T00:00:00Z"}
        {"id":"bd-2","title":"two","priority":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-02T00:00:00Z"}
        {"id":"bd-3","title":"three","priority":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-02T00:00:00Z"}
        """);
    Path v2 = dir.resolve("v2.jsonl");
    Files.writeString(
        v2,
        """
        {"id":"bd-1","title":"one","priority":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-02T00:00:00Z"}
        {"id":"bd-2","title":"two, renamed","priority":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-03T00:00:00Z"}
        {"id":"bd-3","title":"three, older","priority":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"bd-4","title":"four","priority":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        """);
    try (BeadStore store = BeadStore.open(dir.resolve("beads.db"), CLOCK)) {
      store.importFile(v1, "test", null);
      ImportResult result = store.importFile(v2, "test", null);

      assertThat(result.created()).isEqualTo(1);
      assertThat(result.updated()).isEqualTo(1);
      assertThat(result.unchanged()).isEqualTo(1);
      assertThat(result.stale()).isEqualTo(1);
      assertThat(store.get("bd-2").title()).isEqualTo("two, renamed");
      assertThat(store.get("bd-3").title()).isEqualTo("three");
    }
  }

  @Test
  void aStoreFromANewerBeadpoolIsRefused() throws Exception {
    Path db = dir.resolve("beads.db");
    BeadStore.open(db, CLOCK).close();
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
        var st = c.createStatement()) {
      st.execute("PRAGMA user_version = 99");
    }
    assertThatThrownBy(() -> BeadStore.open(db, CLOCK))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 99");
  }
}
