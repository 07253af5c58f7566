package dev.beadpool.jsonl;

import java.nio.file.Path;

/**
 * Something an import had to decide about a line that still loaded: a duplicate id (which copy was
 * kept), a self-dependency dropped, a dependency cycle that keeps its beads blocked.
 */
public record LineWarning(Path file, long lineNumber, String field, String text) {
  /** {@code issues.jsonl:12: id: duplicate id bd-a: ...}. */
  public String message() {
    String where = (file == null ? "<input>" : file.toString()) + ":" + lineNumber + ": ";
    return field == null ? where + text : where + field + ": " + text;
  }
}
