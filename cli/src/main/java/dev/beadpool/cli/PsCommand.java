package dev.beadpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "ps",
    description = {
      "The beads running now, from the running coordinator: run, worker, agent profile,",
      "time since the worker claimed it, and the last line its agent printed (cut to",
      "the terminal's width, $COLUMNS, or 60 characters).",
      "",
      "Examples:",
      "  beadpool ps",
      "  beadpool ps --json"
    },
    footer = {"", "Exit codes: 0 listed (also when nothing runs), 2 no coordinator is running."})
final class PsCommand extends BaseCommand {
  /** The last output column's width when the terminal's is unknown. */
  static final int DEFAULT_LAST_OUTPUT = 60;

  @Mixin StoreOptions store;

  @Override
  public Integer call() {
    JsonNode runs = store.liveCoordinator("ps").get("ps");
    if (json) {
      Output.json(out(), runs);
      return ExitCodes.OK;
    }
    if (runs.isEmpty()) {
      out().println("no beads running");
      out().flush();
      return ExitCodes.OK;
    }
    List<String[]> rows = new ArrayList<>();
    for (JsonNode r : runs) {
      rows.add(
          new String[] {
            r.path("beadId").asText(),
            r.path("run").asText(),
            r.path("worker").asText(""),
            r.path("profile").asText(""),
            EventText.elapsed(r.path("elapsedMillis").asLong()),
            r.path("lastLine").asText("")
          });
    }
    int room = lastOutputWidth(rows);
    Output.Table table =
        new Output.Table("BEAD", "RUN", "WORKER", "PROFILE", "ELAPSED", "LAST OUTPUT");
    for (String[] row : rows) {
      String last = row[5].strip();
      row[5] = last.length() > room ? last.substring(0, room - 1) + "…" : last;
      table.row((Object[]) row);
    }
    table.print(out());
    return ExitCodes.OK;
  }

  /** What is left of the terminal ($COLUMNS) after the other columns, or 60 if unknown. */
  private static int lastOutputWidth(List<String[]> rows) {
    int columns;
    try {
      columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", ""));
    } catch (NumberFormatException e) {
      return DEFAULT_LAST_OUTPUT;
    }
    String[] headers = {"BEAD", "RUN", "WORKER", "PROFILE", "ELAPSED"};
    int used = 0;
    for (int i = 0; i < headers.length; i++) {
      int width = headers[i].length();
      for (String[] row : rows) {
        width = Math.max(width, row[i].length());
      }
      used += width + 2;
    }
    return Math.max(20, columns - used);
  }
}
