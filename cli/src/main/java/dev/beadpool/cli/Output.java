package dev.beadpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.bead.BdOutput;
import dev.beadpool.bead.TerminalText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Human tables and bd-style JSON (two-space indent, {@code "key": value}). */
final class Output {
  private Output() {}

  static void json(PrintWriter out, JsonNode node) {
    out.println(BdOutput.json(node));
    out.flush();
  }

  /**
   * A left-aligned text table; long cells are cut with an ellipsis on a terminal only, control
   * characters shown ({@link TerminalText}).
   */
  static final class Table {
    private static final int MAX_CELL = 72;
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    Table(String... headers) {
      this.columns = headers.length;
      rows.add(headers);
    }

    Table row(Object... cells) {
      String[] row = new String[columns];
      for (int i = 0; i < columns; i++) {
        String s = i < cells.length && cells[i] != null ? cells[i].toString() : "";
        // why: cells hold bead titles, worker ids, agent output: untrusted text on a terminal
        s = TerminalText.safe(s.replace('\n', ' ').replace('\t', ' '));
        row[i] = s;
      }
      rows.add(row);
      return this;
    }

    int size() {
      return rows.size() - 1;
    }

    /** Prints the table: on a terminal, long cells cut; into a file or a pipe, every cell whole. */
    void print(PrintWriter out) {
      print(out, System.console() != null);
    }

    /**
     * Prints the table, cutting cells longer than {@value #MAX_CELL} characters with an ellipsis
     * when {@code cut}: only a screen needs it; a file or a pipe gets every cell whole, since what
     * was cut (an edge type, an id) may be what a reader looks for.
     */
    void print(PrintWriter out, boolean cut) {
      List<String[]> rows = new ArrayList<>(this.rows.size());
      for (String[] row : this.rows) {
        String[] shown = row.clone();
        for (int i = 0; cut && i < columns; i++) {
          if (shown[i].length() > MAX_CELL) {
            shown[i] = shown[i].substring(0, MAX_CELL - 1) + "…";
          }
        }
        rows.add(shown);
      }
      int[] width = new int[columns];
      for (String[] row : rows) {
        for (int i = 0; i < columns; i++) {
          width[i] = Math.max(width[i], row[i].length());
        }
      }
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < columns; i++) {
          line.append(row[i]);
          if (i < columns - 1) {
            line.append(" ".repeat(width[i] - row[i].length() + 2));
          }
        }
        out.println(line.toString().stripTrailing());
      }
      out.flush();
    }
  }
}
