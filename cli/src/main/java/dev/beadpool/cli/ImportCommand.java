package dev.beadpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Json;
import dev.beadpool.jsonl.JsonlLine;
import dev.beadpool.jsonl.LineWarning;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.ImportResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "import",
    description = {
      "Import a bd export (issues.jsonl) into the store by bd's rules: upsert by id, lines with an",
      "older updated_at than the stored copy are skipped as stale, edges to unknown ids are left out",
      "of the graph. All or nothing: a failure part-way leaves the store as it was. Invalid lines are",
      "reported by line, field and rule, the rest still imports, and the exit code is 1; so is it",
      "for a duplicate id (the newer updated_at is kept), a self-dependency (dropped, the bead kept),",
      "a bead that breaks bd's closed_at rule (kept as it is: reopened or closed, its status decides)",
      "and a dependency cycle (its beads stay blocked), each reported with its line. Records that are",
      "not beads (bd's memories) are skipped and named in the summary.",
      "Example: beadpool import .beads/issues.jsonl"
    })
final class ImportCommand extends BaseCommand {
  /** Files with at least this many lines get a progress bar on a terminal. */
  static final long PROGRESS_MIN_LINES = 5_000;

  /** Skipped edges listed one by one, then summarized. */
  static final int MAX_LISTED_EDGES = 20;

  @Mixin StoreOptions store;
  @Mixin ActorOption actor;

  @Parameters(paramLabel = "FILE", description = "The bd export to import.")
  Path file;

  @Option(
      names = "--progress",
      negatable = true,
      description = "Show progress (default: on a terminal, for large files).")
  Boolean progress;

  @Override
  public Integer call() throws Exception {
    ExportFiles.requireReadable(file);
    var remote = store.coordinator();
    if (remote.isPresent()) {
      // why: the coordinator owns the store; it imports, reloads its graph and dispatches
      JsonNode answer =
          remote
              .get()
              .post(
                  "import",
                  dev.beadpool.bead.Json.MAPPER
                      .createObjectNode()
                      .put("path", file.toAbsolutePath().toString())
                      .put("actor", actor.resolve()));
      ImportResult result =
          withLocalReasons(dev.beadpool.bead.Json.MAPPER.treeToValue(answer, ImportResult.class));
      if (json) {
        Output.json(out(), toJson(result));
      } else {
        printSummary(result);
      }
      return result.clean() ? ExitCodes.OK : ExitCodes.FAILED;
    }
    long lines = progressWanted() ? countLines(file) : 0;
    ImportResult result;
    try (BeadStore beads = store.openOrCreate()) {
      if (lines >= PROGRESS_MIN_LINES || (Boolean.TRUE.equals(progress) && lines > 0)) {
        result = importWithProgress(beads, lines);
      } else {
        result = beads.importFile(file, actor.resolve(), null);
      }
    }
    if (json) {
      Output.json(out(), toJson(result));
    } else {
      printSummary(result);
    }
    return result.clean() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  /**
   * The coordinator answers invalid lines by number only (a reason may quote the line, and the API
   * tells no one what a file holds); this process can read the file, so it reads the reasons.
   */
  private ImportResult withLocalReasons(ImportResult remote) throws IOException {
    if (remote.invalid().isEmpty()) {
      return remote;
    }
    java.util.Map<Long, JsonlLine.Invalid> local = new java.util.HashMap<>();
    for (JsonlLine line : dev.beadpool.jsonl.JsonlReader.readAll(file)) {
      if (line instanceof JsonlLine.Invalid bad) {
        local.put(bad.lineNumber(), bad);
      }
    }
    java.util.List<JsonlLine.Invalid> invalid =
        remote.invalid().stream().map(bad -> local.getOrDefault(bad.lineNumber(), bad)).toList();
    return new ImportResult(
        remote.created(),
        remote.updated(),
        remote.unchanged(),
        remote.stale(),
        remote.skippedLines(),
        invalid,
        remote.skippedEdges(),
        remote.warnings(),
        remote.cycles(),
        remote.notBeads());
  }

  private boolean progressWanted() {
    return progress != null ? progress : System.console() != null;
  }

  private ImportResult importWithProgress(BeadStore beads, long lines) throws IOException {
    if (System.console() == null) {
      // not a terminal: a line per tenth, readable in a log
      long step = Math.max(1, lines / 10);
      LongConsumer report =
          n -> {
            if (n % step == 0 || n == lines) {
              err().printf("import: %d/%d lines (%d%%)%n", n, lines, n * 100 / lines);
              err().flush();
            }
          };
      return beads.importFile(file, actor.resolve(), report);
    }
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("Importing")
            .setInitialMax(lines)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" lines", 1)
            .continuousUpdate()
            .build()) {
      return beads.importFile(file, actor.resolve(), bar::stepTo);
    }
  }

  static long countLines(Path file) throws IOException {
    long count = 0;
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            count++;
          }
        }
      }
    }
    return count;
  }

  private void printSummary(ImportResult r) {
    for (JsonlLine.Invalid bad : r.invalid()) {
      err().println(bad.message() + " (line skipped)");
    }
    for (LineWarning warning : r.warnings()) {
      err().println(warning.message());
    }
    out()
        .printf(
            "Import complete: %d created, %d updated, %d unchanged, %d stale, %d invalid line%s, %d skipped edge%s%s%n",
            r.created(),
            r.updated(),
            r.unchanged(),
            r.stale(),
            r.invalid().size(),
            r.invalid().size() == 1 ? "" : "s",
            r.skippedEdges().size(),
            r.skippedEdges().size() == 1 ? "" : "s",
            r.warnings().isEmpty()
                ? ""
                : ", " + r.warnings().size() + " warning" + (r.warnings().size() == 1 ? "" : "s"));
    if (!r.notBeads().isEmpty()) {
      out().println(notBeads(r));
    }
    if (!r.skippedEdges().isEmpty()) {
      out().println("Edges to unknown ids (kept in the bead, left out of the graph):");
      r.skippedEdges().stream().limit(MAX_LISTED_EDGES).forEach(e -> out().println("  " + e));
      if (r.skippedEdges().size() > MAX_LISTED_EDGES) {
        out().printf("  ... and %d more%n", r.skippedEdges().size() - MAX_LISTED_EDGES);
      }
    }
    if (!r.invalid().isEmpty()) {
      err()
          .printf(
              "%d invalid line%s skipped; %d other issues imported.%n",
              r.invalid().size(), r.invalid().size() == 1 ? "" : "s", r.imported());
    }
    out().flush();
    err().flush();
  }

  /**
   * {@code Skipped, not beads: 2 memory records, 1 tombstone}: lines of the file that are something
   * else, by name (bd 1.x writes its memories into the same file).
   */
  static String notBeads(ImportResult r) {
    return "Skipped, not beads: "
        + r.notBeads().entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey() + (e.getValue() == 1 ? "" : "s"))
            .collect(java.util.stream.Collectors.joining(", "));
  }

  private static ObjectNode toJson(ImportResult r) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("created", r.created());
    node.put("updated", r.updated());
    node.put("unchanged", r.unchanged());
    node.put("stale", r.stale());
    ArrayNode invalid = node.putArray("invalid");
    for (JsonlLine.Invalid bad : r.invalid()) {
      ObjectNode item = invalid.addObject();
      item.put("line", bad.lineNumber());
      if (bad.field() != null) {
        item.put("field", bad.field());
      }
      item.put("rule", bad.rule());
    }
    ArrayNode edges = node.putArray("skipped_edges");
    r.skippedEdges().forEach(edges::add);
    ArrayNode warnings = node.putArray("warnings");
    for (LineWarning warning : r.warnings()) {
      ObjectNode item = warnings.addObject();
      item.put("line", warning.lineNumber());
      if (warning.field() != null) {
        item.put("field", warning.field());
      }
      item.put("text", warning.text());
    }
    ObjectNode notBeads = node.putObject("not_beads");
    r.notBeads().forEach(notBeads::put);
    ArrayNode cycles = node.putArray("cycles");
    for (List<String> cycle : r.cycles()) {
      ArrayNode ids = cycles.addArray();
      cycle.forEach(ids::add);
    }
    return node;
  }
}
