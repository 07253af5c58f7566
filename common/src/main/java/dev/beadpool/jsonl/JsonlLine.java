package dev.beadpool.jsonl;

import dev.beadpool.bead.Bead;
import java.nio.file.Path;

/** What one line of a bd export turned out to be. */
public sealed interface JsonlLine {
  long lineNumber();

  /** An issue line that follows bd's rules. */
  record Issue(long lineNumber, Bead bead) implements JsonlLine {}

  /**
   * A line that is legal but not an issue to load: blank, header, tombstone, or a record of another
   * kind (bd 1.x exports its memories as {@code {"_type":"memory","key":...,"value":...}}). {@code
   * reason} names what the line is, as a noun ({@code memory record}, {@code tombstone}).
   */
  record Skipped(long lineNumber, String reason) implements JsonlLine {
    public static final String BLANK = "blank line";
    public static final String HEADER = "header";
    public static final String TOMBSTONE = "tombstone";

    /** Whether the line held something (a record, a header), as opposed to nothing at all. */
    public boolean isRecord() {
      return !BLANK.equals(reason);
    }
  }

  /** A line that breaks a rule; the other lines still load. */
  record Invalid(long lineNumber, Path file, String field, String rule) implements JsonlLine {
    /** {@code issues.jsonl:118: priority: must be 0..4, was 9}. */
    public String message() {
      String where = (file == null ? "<input>" : file.toString()) + ":" + lineNumber + ": ";
      return field == null ? where + rule : where + field + ": " + rule;
    }
  }
}
