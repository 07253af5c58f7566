package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadRepair;
import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.Timestamps;
import dev.beadpool.graph.CycleCheck;
import dev.beadpool.graph.Edge;
import dev.beadpool.graph.ReadyEngine;
import dev.beadpool.id.BeadIds;
import dev.beadpool.jsonl.JsonlLine;
import dev.beadpool.jsonl.JsonlReader;
import dev.beadpool.jsonl.LineWarning;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * One import of a bd export into the store, in one transaction. Lines are streamed: beads are
 * written as they are read, their edges once every bead of the file is in, so an edge may point at
 * a bead further down the file. An id the file holds twice keeps the copy with the newer {@code
 * updated_at} (bd's rule; the first on a tie); a cycle of blocking edges the file brings is
 * reported, since bd's write-time check never saw it.
 */
final class Importer {
  private final Transactions transactions;
  private final Clock clock;
  private final Path file;
  private final String actor;
  private final LongConsumer progress;

  private int created;
  private int updated;
  private int unchanged;
  private int stale;
  private int skippedLines;
  private final List<JsonlLine.Invalid> invalid = new ArrayList<>();
  private final List<LineWarning> warnings = new ArrayList<>();
  private final List<List<String>> cycles = new ArrayList<>();
  private final Map<String, Integer> notBeads = new HashMap<>();
  private final Map<String, List<Dependency>> pendingEdges = new LinkedHashMap<>();
  private final Map<String, Kept> kept = new HashMap<>();
  private final Map<String, Integer> prefixes = new HashMap<>();
  private boolean fileHasEdges;

  /** What one line did to the store. */
  private enum Outcome {
    CREATED,
    UPDATED,
    UNCHANGED,
    STALE
  }

  /** The copy of an id that this import keeps so far: its line, its updated_at, its outcome. */
  private record Kept(long line, long updatedNanos, Outcome outcome) {}

  Importer(Transactions transactions, Clock clock, Path file, String actor, LongConsumer progress) {
    this.transactions = transactions;
    this.clock = clock;
    this.file = file;
    this.actor = actor;
    this.progress = progress == null ? n -> {} : progress;
  }

  ImportResult run() throws IOException {
    try (JsonlReader reader = JsonlReader.open(file)) {
      return transactions.inTransaction(c -> importAll(c, reader));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private ImportResult importAll(Connection c, JsonlReader reader) throws SQLException {
    Set<String> known = new HashSet<>();
    try (PreparedStatement st = c.prepareStatement("SELECT id FROM beads");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        known.add(rs.getString(1));
      }
    }
    boolean storeWasEmpty = known.isEmpty();
    List<String> skippedEdges;
    try (PreparedStatement select =
            c.prepareStatement("SELECT updated_at, data, status FROM beads WHERE id = ?");
        RowWriter writer = new RowWriter(c, clock)) {
      while (reader.hasNext()) {
        JsonlLine line = reader.next();
        progress.accept(line.lineNumber());
        if (line instanceof JsonlLine.Invalid bad) {
          invalid.add(bad);
        } else if (line instanceof JsonlLine.Skipped skipped) {
          skippedLines++;
          if (skipped.isRecord()) {
            notBeads.merge(skipped.reason(), 1, Integer::sum);
          }
        } else if (line instanceof JsonlLine.Issue issue) {
          importBead(issue, select, writer, known);
        }
      }
      List<Dependency> edges = new ArrayList<>();
      pendingEdges.values().forEach(edges::addAll);
      skippedEdges = writer.insertDependencies(edges, known::contains);
    }
    // why: also on a re-import that changes nothing, so the cycle is reported every time; the
    // cheap check first, since loading the whole engine would add a second to a 100k import
    if (fileHasEdges && CycleCheck.anyCycle(graphEdges(c, storeWasEmpty))) {
      reportCycles(GraphLoader.engine(c));
    }
    if (StoreConfig.get(c, StoreConfig.ISSUE_PREFIX) == null && !prefixes.isEmpty()) {
      String prefix =
          prefixes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      StoreConfig.put(c, StoreConfig.ISSUE_PREFIX, prefix);
    }
    return new ImportResult(
        created,
        updated,
        unchanged,
        stale,
        skippedLines,
        invalid,
        skippedEdges,
        warnings,
        cycles,
        notBeads);
  }

  /** The graph's edges after the import: the file's alone when the store had none before. */
  private List<Edge> graphEdges(Connection c, boolean storeWasEmpty) throws SQLException {
    if (!storeWasEmpty) {
      return GraphLoader.readEdges(c);
    }
    List<Edge> edges = new ArrayList<>();
    pendingEdges.values().forEach(deps -> deps.forEach(d -> edges.add(Edge.of(d))));
    return edges;
  }

  private void importBead(
      JsonlLine.Issue issue, PreparedStatement select, RowWriter writer, Set<String> known)
      throws SQLException {
    Bead bead = issue.bead();
    long line = issue.lineNumber();
    for (BeadRepair repair : bead.repairs()) {
      warnings.add(new LineWarning(file, line, repair.field(), repair.what()));
    }
    fileHasEdges |= !bead.dependencies().isEmpty();
    long updatedNanos = Timestamps.epochNanos(bead.updatedAt());
    Kept previous = kept.get(bead.id());
    if (previous != null) {
      if (updatedNanos <= previous.updatedNanos()) {
        String why =
            updatedNanos == previous.updatedNanos()
                ? "the same updated_at, so the first copy"
                : "a newer updated_at";
        warnings.add(
            new LineWarning(
                file,
                line,
                "id",
                "duplicate id "
                    + bead.id()
                    + ": kept the copy at line "
                    + previous.line()
                    + " ("
                    + why
                    + "), this line skipped"));
        return;
      }
      warnings.add(
          new LineWarning(
              file,
              line,
              "id",
              "duplicate id "
                  + bead.id()
                  + ": kept this copy (a newer updated_at than line "
                  + previous.line()
                  + "), the copy at line "
                  + previous.line()
                  + " replaced"));
      uncount(previous.outcome());
    } else {
      String prefix = BeadIds.prefixOf(bead.id());
      if (prefix != null) {
        prefixes.merge(prefix, 1, Integer::sum);
      }
    }
    Outcome outcome = upsert(bead, previous, updatedNanos, select, writer, known);
    count(outcome);
    kept.put(bead.id(), new Kept(line, updatedNanos, outcome));
  }

  /** bd's upsert of one copy; {@code previous} is the copy of the same id this file kept before. */
  private Outcome upsert(
      Bead bead,
      Kept previous,
      long updatedNanos,
      PreparedStatement select,
      RowWriter writer,
      Set<String> known)
      throws SQLException {
    select.setString(1, bead.id());
    long storedUpdated;
    String storedData;
    String storedStatus;
    try (ResultSet rs = select.executeQuery()) {
      if (!rs.next()) {
        writer.insert(bead);
        pendingEdges.put(bead.id(), bead.dependencies());
        known.add(bead.id());
        writer.history(bead.id(), actor, "created", null, bead.status());
        return Outcome.CREATED;
      }
      storedUpdated = rs.getLong(1);
      storedData = rs.getString(2);
      storedStatus = rs.getString(3);
    }
    if (previous != null && previous.outcome() == Outcome.CREATED) {
      // why: the earlier copy was new to the store; the newer one takes its place, still a creation
      writer.update(bead);
      pendingEdges.put(bead.id(), bead.dependencies());
      return Outcome.CREATED;
    }
    if (updatedNanos < storedUpdated) {
      return Outcome.STALE;
    }
    if (bead.toJsonText().equals(storedData)) {
      return Outcome.UNCHANGED;
    }
    writer.update(bead);
    pendingEdges.put(bead.id(), bead.dependencies());
    writer.history(bead.id(), actor, "imported", storedStatus, bead.status());
    return Outcome.UPDATED;
  }

  private void count(Outcome outcome) {
    switch (outcome) {
      case CREATED -> created++;
      case UPDATED -> updated++;
      case UNCHANGED -> unchanged++;
      case STALE -> stale++;
    }
  }

  private void uncount(Outcome outcome) {
    switch (outcome) {
      case CREATED -> created--;
      case UPDATED -> updated--;
      case UNCHANGED -> unchanged--;
      case STALE -> stale--;
    }
  }

  /**
   * Reports each cycle of blocking edges that runs through a bead of this file: bd refuses them
   * when they are written, but an export can hold one, and its open beads never become ready.
   */
  private void reportCycles(ReadyEngine engine) {
    for (List<String> cycle : engine.cycles()) {
      List<Long> lines = new ArrayList<>();
      for (String id : cycle.subList(0, cycle.size() - 1)) {
        Kept copy = kept.get(id);
        if (copy != null) {
          lines.add(copy.line());
        }
      }
      if (lines.isEmpty()) {
        continue;
      }
      List<String> stuck =
          cycle.subList(0, cycle.size() - 1).stream().filter(engine::isBlocked).toList();
      cycles.add(List.copyOf(cycle));
      warnings.add(
          new LineWarning(
              file,
              lines.get(0),
              "dependencies",
              "dependency cycle "
                  + String.join(" -> ", cycle)
                  + " (edges on lines "
                  + lines.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElseThrow()
                  + "): "
                  + (stuck.isEmpty()
                      ? "its beads are all done, so it blocks nothing now"
                      : String.join(", ", stuck)
                          + (stuck.size() == 1 ? " stays" : " stay")
                          + " blocked until one of its edges is removed (beadpool dep remove)")));
    }
  }
}
