package dev.beadpool.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import dev.beadpool.bead.Statuses;
import dev.beadpool.jsonl.LineWarning;
import dev.beadpool.testhelper.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trackers written before bd enforced "closed_at if and only if closed" hold reopened beads that
 * still carry {@code closed_at} and closed beads without it. Each is a bead: imported with one
 * warning naming its line, its keys exported as they came, its status deciding readiness.
 */
class ClosedAtEraImportTest {
  static final Clock CLOCK = Clock.fixed(Corpus.EVALUATED_AT, ZoneOffset.UTC);

  @TempDir Path dir;

  /** A real tracker as a 2025 one looks: every third closed bead reopened, every fifth bare. */
  record Era(Path file, List<Long> reopenedLines, List<Long> bareLines, List<String> reopened) {}

  Era era() throws IOException {
    List<String> out = new ArrayList<>();
    List<Long> reopenedLines = new ArrayList<>();
    List<Long> bareLines = new ArrayList<>();
    List<String> reopened = new ArrayList<>();
    long line = 0;
    int closed = 0;
    for (String text : Files.readAllLines(Corpus.export("reflaxe-elixir"))) {
      line++;
      ObjectNode issue = (ObjectNode) Json.MAPPER.readTree(text);
      if (Statuses.CLOSED.equals(issue.path("status").asText())) {
        closed++;
        if (closed % 3 == 0) {
          issue.put("status", Statuses.OPEN); // closed_at and close_reason stay, as bd left them
          reopenedLines.add(line);
          reopened.add(issue.get("id").asText());
        } else if (closed % 5 == 0) {
          issue.remove("closed_at");
          bareLines.add(line);
        }
      }
      out.add(Json.compact(issue));
    }
    Path file = dir.resolve("issues.jsonl");
    Files.write(file, out);
    return new Era(file, reopenedLines, bareLines, reopened);
  }

  @Test
  void everyBeadOfA2025TrackerIsImportedWithOneWarningPerLineAndExportedAsItCame()
      throws IOException {
    Era era = era();
    Path export = dir.resolve("out.jsonl");
    try (BeadStore store = BeadStore.open(dir.resolve("beads.db"), CLOCK)) {
      ImportResult result = store.importFile(era.file(), "test", null);
      store.exportTo(export);

      assertThat(result.invalid()).isEmpty();
      assertThat(result.created()).isEqualTo(291);
      assertThat(era.reopenedLines()).hasSizeGreaterThan(50);
      assertThat(era.bareLines()).hasSizeGreaterThan(10);
      List<LineWarning> closedAt =
          result.warnings().stream().filter(w -> "closed_at".equals(w.field())).toList();
      assertThat(closedAt)
          .extracting(LineWarning::lineNumber)
          .containsExactlyInAnyOrderElementsOf(concat(era.reopenedLines(), era.bareLines()));
      assertThat(closedAt).allSatisfy(w -> assertThat(w.message()).startsWith(era.file() + ":"));
      assertThat(closedAt.get(0).message())
          .contains(": closed_at: ")
          .containsAnyOf("kept on a bead whose status is open", "missing on a closed bead");

      // the status decides: a reopened bead is open, not done, and shows up as work
      for (String id : era.reopened()) {
        assertThat(store.get(id).status()).isEqualTo(Statuses.OPEN);
      }
      assertThat(
              store.loadEngine().ready(dev.beadpool.graph.SortPolicy.PRIORITY, CLOCK.instant(), 0))
          .extracting(s -> s.id())
          .containsAnyElementsOf(era.reopened());
    }

    Map<String, ObjectNode> in = StoreImportExportTest.objectsById(era.file());
    Map<String, ObjectNode> out = StoreImportExportTest.objectsById(export);
    assertThat(out.keySet()).containsExactlyInAnyOrderElementsOf(in.keySet());
    in.forEach((id, expected) -> assertThat(out.get(id)).as(id).isEqualTo(expected));
  }

  @Test
  void aReopenedBeadCanBeClaimedAndClosedAgain() throws IOException {
    Path file = dir.resolve("issues.jsonl");
    Files.writeString(
        file,
        """
        {"id":"bd-1","title":"reopened","status":"open","closed_at":"2025-10-01T00:00:00Z","close_reason":"Done","created_at":"2025-09-01T00:00:00Z","updated_at":"2025-10-02T00:00:00Z"}
        """);
    try (BeadStore store = BeadStore.open(dir.resolve("beads.db"), CLOCK)) {
      store.importFile(file, "test", null);

      Bead claimed = store.claim("bd-1", "w-1");
      Bead closed = store.close("bd-1", "done again", false, "w-1");

      assertThat(claimed.status()).isEqualTo(Statuses.IN_PROGRESS);
      assertThat(closed.closedAt()).isEqualTo(Instant.parse("2026-11-21T12:00:00Z"));
      assertThat(closed.text("close_reason")).isEqualTo("done again");
    }
  }

  static List<Long> concat(List<Long> a, List<Long> b) {
    List<Long> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
