package dev.beadpool.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import dev.beadpool.bead.Statuses;
import dev.beadpool.graph.SortPolicy;
import dev.beadpool.testhelper.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An edge to an id the store does not hold ({@code external:gastown:gt-1}, a bead deleted
 * elsewhere) is data in its bead's JSON, not a row the store enforces: every write of that bead (a
 * claim, a close, an update) works, and export gives the edge back as it came.
 */
class UnknownEdgeTargetsTest {
  static final Clock CLOCK = Clock.fixed(Corpus.EVALUATED_AT, ZoneOffset.UTC);
  static final String STAMPS =
      "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"";

  @TempDir Path dir;

  Path export(String... lines) throws IOException {
    Path file = dir.resolve("issues.jsonl");
    Files.write(file, List.of(lines));
    return file;
  }

  @Test
  void aBeadWithAnExternalTracksEdgeIsClaimedRunAndClosed() throws IOException {
    Path file =
        export(
            "{\"id\":\"bd-1\",\"title\":\"tracked work\","
                + STAMPS
                + ",\"dependencies\":[{\"issue_id\":\"bd-1\",\"depends_on_id\":\"external:gastown:gt-9\","
                + "\"type\":\"tracks\",\"created_at\":\"2026-01-01T00:00:00Z\",\"metadata\":\"{}\"},"
                + "{\"issue_id\":\"bd-1\",\"depends_on_id\":\"bd-gone\",\"type\":\"blocks\","
                + "\"created_at\":\"2026-01-01T00:00:00Z\"}]}");
    try (BeadStore store = BeadStore.open(dir.resolve("beads.db"), CLOCK)) {
      ImportResult imported = store.importFile(file, "test", null);
      assertThat(imported.skippedEdges()).hasSize(2);
      assertThat(store.loadEngine().isReady("bd-1", CLOCK.instant())).isTrue();

      RunLedger ledger = new RunLedger(store);
      Run run = ledger.dispatch("bd-1", 0);
      RunLedger.ClaimDecision claim = ledger.claim("bd-1", run.run(), "w-1", "lease-1", "proof");

      assertThat(claim.granted()).as(claim.reason()).isTrue();
      assertThat(store.get("bd-1").status()).isEqualTo(Statuses.IN_PROGRESS);
      store.update("bd-1", BeadUpdate.NONE.withStatus(Statuses.OPEN), "w-1");
      store.claim("bd-1", "w-1");
      Bead closed = store.close("bd-1", "done", false, "w-1");
      assertThat(closed.isClosed()).isTrue();

      Path out = dir.resolve("out.jsonl");
      store.exportTo(out);
      JsonNode exported = Json.MAPPER.readTree(Files.readAllLines(out).get(0));
      ObjectNode in = (ObjectNode) Json.MAPPER.readTree(Files.readAllLines(file).get(0));
      assertThat(exported.get("dependencies")).isEqualTo(in.get("dependencies"));
    }
  }

  @Test
  void everyReadyBeadOfTheBeadsTrackerCanBeClaimed() throws IOException {
    try (BeadStore store = BeadStore.open(dir.resolve("beads.db"), CLOCK)) {
      store.importFile(Corpus.export("beads-2026-02"), "test", null);
      RunLedger ledger = new RunLedger(store);
      List<String> ready =
          store.loadEngine().ready(SortPolicy.PRIORITY, CLOCK.instant(), 0).stream()
              .map(s -> s.id())
              .toList();
      assertThat(ready).isNotEmpty();

      for (String id : ready) {
        Run run = ledger.dispatch(id, 0);
        RunLedger.ClaimDecision claim = ledger.claim(id, run.run(), "w-1", "lease-" + id, "p");
        assertThat(claim.granted()).as(id + ": " + claim.reason()).isTrue();
      }
    }
  }
}
