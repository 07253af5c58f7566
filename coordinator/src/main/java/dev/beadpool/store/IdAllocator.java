package dev.beadpool.store;

import dev.beadpool.id.BeadIds;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Hands out new ids as bd does: a hash id under the store's prefix, lengthened as the store grows,
 * or the next child number of a parent (kept in {@code child_counters}, so a deleted child's number
 * is never reused).
 */
final class IdAllocator {
  private final Path file;

  /**
   * @param file the store's file: its project directory names the prefix of last resort
   */
  IdAllocator(Path file) {
    this.file = file;
  }

  /** A free id for a new bead: a child id under {@code spec}'s parent, else a hash id. */
  String newId(Connection c, NewBead spec, String actor, Instant now) throws SQLException {
    if (spec.parent() != null) {
      return nextChildId(c, spec.parent());
    }
    String prefix = prefix(c);
    long topLevel;
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT count(*) FROM beads WHERE id LIKE ? || '-%'"
                + " AND instr(substr(id, length(?) + 2), '.') = 0")) {
      st.setString(1, prefix);
      st.setString(2, prefix);
      try (ResultSet rs = st.executeQuery()) {
        topLevel = rs.next() ? rs.getLong(1) : 0;
      }
    }
    String description = spec.description() == null ? "" : spec.description();
    for (int length = BeadIds.adaptiveLength(topLevel);
        length <= BeadIds.MAX_HASH_LENGTH;
        length++) {
      for (int nonce = 0; nonce < BeadIds.NONCES_PER_LENGTH; nonce++) {
        String candidate =
            BeadIds.hashId(prefix, spec.title(), description, actor, now, length, nonce);
        if (BeadRows.load(c, candidate) == null) {
          return candidate;
        }
      }
    }
    throw new StoreException("failed to generate a unique id with prefix " + prefix);
  }

  private static String nextChildId(Connection c, String parent) throws SQLException {
    int next = lastChild(c, parent) + 1;
    String id;
    try {
      id = BeadIds.childId(parent, next);
    } catch (IllegalArgumentException e) {
      throw new RefusedException(e.getMessage());
    }
    putChildCounter(c, parent, next);
    return id;
  }

  /** The highest child number {@code <parent>.<n>} used so far (0 if none). */
  static int lastChild(Connection c, String parent) throws SQLException {
    int last = 0;
    try (PreparedStatement st =
        c.prepareStatement("SELECT last_child FROM child_counters WHERE parent_id = ?")) {
      st.setString(1, parent);
      try (ResultSet rs = st.executeQuery()) {
        if (rs.next()) {
          last = rs.getInt(1);
        }
      }
    }
    try (PreparedStatement st =
        // why a range, not LIKE: it walks the primary key's index instead of every bead
        c.prepareStatement("SELECT id FROM beads WHERE id > ? AND id < ?")) {
      st.setString(1, parent + ".");
      st.setString(2, parent + "/");
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString(1);
          if (parent.equals(BeadIds.parentOf(id))) {
            last = Math.max(last, BeadIds.childNumber(id));
          }
        }
      }
    }
    return last;
  }

  /** Makes sure the next child id of {@code parent} is above {@code n}. */
  static void putChildCounter(Connection c, String parent, int n) throws SQLException {
    Sql.update(
        c,
        "INSERT INTO child_counters(parent_id, last_child) VALUES (?, ?) ON CONFLICT(parent_id)"
            + " DO UPDATE SET last_child = max(last_child, excluded.last_child)",
        parent,
        n);
  }

  /**
   * The prefix for new ids: the configured one, else the one most ids in the store use, else the
   * project directory's name.
   */
  String prefix(Connection c) throws SQLException {
    String configured = StoreConfig.get(c, StoreConfig.ISSUE_PREFIX);
    if (configured != null) {
      return configured;
    }
    String common = mostCommonPrefix(c);
    if (common != null) {
      return common;
    }
    Path project = file.toAbsolutePath().getParent();
    if (project != null
        && project.getFileName() != null
        && project.getFileName().toString().equals(".beadpool")) {
      project = project.getParent();
    }
    return BeadIds.prefixFromDirectory(
        project == null || project.getFileName() == null ? "bd" : project.getFileName().toString());
  }

  private static String mostCommonPrefix(Connection c) throws SQLException {
    Map<String, Integer> counts = new HashMap<>();
    try (PreparedStatement st = c.prepareStatement("SELECT id FROM beads");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        String prefix = BeadIds.prefixOf(rs.getString(1));
        if (prefix != null) {
          counts.merge(prefix, 1, Integer::sum);
        }
      }
    }
    return counts.entrySet().stream()
        .max(
            Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .orElse(null);
  }
}
