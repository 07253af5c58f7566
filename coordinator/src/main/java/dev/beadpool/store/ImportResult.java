package dev.beadpool.store;

import dev.beadpool.jsonl.JsonlLine;
import java.util.List;

/**
 * What an import did. {@code stale} lines had an {@code updated_at} older than the stored copy and
 * were skipped; {@code skippedEdges} point at ids that are in neither the store nor the file (kept
 * in the bead's JSON, left out of the graph, as bd leaves them out).
 */
public record ImportResult(
    int created,
    int updated,
    int unchanged,
    int stale,
    int skippedLines,
    List<JsonlLine.Invalid> invalid,
    List<String> skippedEdges) {

  public ImportResult {
    invalid = List.copyOf(invalid);
    skippedEdges = List.copyOf(skippedEdges);
  }

  public int imported() {
    return created + updated + unchanged;
  }
}
