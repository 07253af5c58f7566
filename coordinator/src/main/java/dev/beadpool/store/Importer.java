package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Dependency;
import dev.beadpool.id.BeadIds;
import dev.beadpool.jsonl.JsonlLine;
import dev.beadpool.jsonl.JsonlReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * One import of a bd export into the store, in one transaction. Lines are streamed: beads are
 * written as they are read, their edges once every bead of the file is in, so an edge may point at
 * a bead further down the file.
 */
final class Importer {
  private final BeadStore store;
  private final Path file;
  private final String actor;
  private final LongConsumer progress;

  private int created;
  private int updated;
  private int unchanged;
  private int stale;
  private int skippedLines;
  private final List<JsonlLine.Invalid> invalid = new ArrayList<>();
  private final List<Dependency> pendingEdges = new ArrayList<>();
  private final Map<String, Long> firstLine = new HashMap<>();
  private final Map<String, Integer> prefixes = new HashMap<>();

  Importer(BeadStore store, Path file, String actor, LongConsumer progress) {
    this.store = store;
    this.file = file;
    this.actor = actor;
    this.progress = progress == null ? n -> {} : progress;
  }

  ImportResult run() throws IOException {
    try (JsonlReader reader = JsonlReader.open(file)) {
      return store.inTransaction(c -> importAll(c, reader));
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
    List<String> skippedEdges;
    try (PreparedStatement select =
            c.prepareStatement("SELECT updated_at, data, status FROM beads WHERE id = ?");
        RowWriter writer = new RowWriter(c, store.clock())) {
      while (reader.hasNext()) {
        JsonlLine line = reader.next();
        progress.accept(line.lineNumber());
        if (line instanceof JsonlLine.Invalid bad) {
          invalid.add(bad);
        } else if (line instanceof JsonlLine.Skipped) {
          skippedLines++;
        } else if (line instanceof JsonlLine.Issue issue) {
          importBead(issue, select, writer, known);
        }
      }
      skippedEdges = writer.insertDependencies(pendingEdges, known::contains);
    }
    if (store.config(c, BeadStore.CONFIG_ISSUE_PREFIX) == null && !prefixes.isEmpty()) {
      String prefix =
          prefixes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      BeadStore.putConfig(c, BeadStore.CONFIG_ISSUE_PREFIX, prefix);
    }
    return new ImportResult(
        created, updated, unchanged, stale, skippedLines, invalid, skippedEdges);
  }

  private void importBead(
      JsonlLine.Issue issue, PreparedStatement select, RowWriter writer, Set<String> known)
      throws SQLException {
    Bead bead = issue.bead();
    Long first = firstLine.putIfAbsent(bead.id(), issue.lineNumber());
    if (first != null) {
      invalid.add(
          new JsonlLine.Invalid(
              issue.lineNumber(),
              file,
              "id",
              "duplicate id " + bead.id() + " (first at line " + first + ")"));
      return;
    }
    String prefix = BeadIds.prefixOf(bead.id());
    if (prefix != null) {
      prefixes.merge(prefix, 1, Integer::sum);
    }
    select.setString(1, bead.id());
    long storedUpdated;
    String storedData;
    String storedStatus;
    try (ResultSet rs = select.executeQuery()) {
      if (!rs.next()) {
        writer.insert(bead);
        pendingEdges.addAll(bead.dependencies());
        known.add(bead.id());
        writer.history(bead.id(), actor, "created", null, bead.status());
        created++;
        return;
      }
      storedUpdated = rs.getLong(1);
      storedData = rs.getString(2);
      storedStatus = rs.getString(3);
    }
    if (dev.beadpool.bead.Timestamps.epochNanos(bead.updatedAt()) < storedUpdated) {
      stale++;
      return;
    }
    String data = bead.toJsonText();
    if (data.equals(storedData)) {
      unchanged++;
      return;
    }
    writer.update(bead);
    pendingEdges.addAll(bead.dependencies());
    writer.history(bead.id(), actor, "imported", storedStatus, bead.status());
    updated++;
  }
}
