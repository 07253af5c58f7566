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
   * A left-aligned text table; long cells are cut with an ellipsis, control characters shown
   * ({@link TerminalText}).
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
        row[i] = s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s;
      }
      rows.add(row);
      return this;
    }

    int size() {
      return rows.size() - 1;
    }

    void print(PrintWriter out) {
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
