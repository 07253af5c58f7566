package dev.beadpool.store;

import dev.beadpool.jsonl.JsonlLine;
import dev.beadpool.jsonl.LineWarning;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an import did. {@code stale} lines had an {@code updated_at} older than the stored copy and
 * were skipped; {@code skippedEdges} point at ids that are in neither the store nor the file (kept
 * in the bead's JSON, left out of the graph, as bd leaves them out). {@code warnings} are lines
 * that loaded but needed a decision (a duplicate id, a self-dependency dropped, a dependency
 * cycle); {@code cycles} are those cycles, each as ids with the first repeated at the end. {@code
 * notBeads} counts the lines skipped because they are something else, by what they are ({@code
 * memory record}, {@code tombstone}, {@code header}); {@code skippedLines} counts blank lines too.
 */
public record ImportResult(
    int created,
    int updated,
    int unchanged,
    int stale,
    int skippedLines,
    List<JsonlLine.Invalid> invalid,
    List<String> skippedEdges,
    List<LineWarning> warnings,
    List<List<String>> cycles,
    Map<String, Integer> notBeads) {

  public ImportResult {
    notBeads = notBeads == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(notBeads));
    invalid = List.copyOf(invalid);
    skippedEdges = List.copyOf(skippedEdges);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    cycles = cycles == null ? List.of() : cycles.stream().map(List::copyOf).toList();
  }

  public int imported() {
    return created + updated + unchanged;
  }

  /** No line skipped as invalid and nothing decided for the user: the exit code is 0. */
  public boolean clean() {
    return invalid.isEmpty() && warnings.isEmpty();
  }
}
