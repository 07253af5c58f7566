package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The store's reads of beads, edges and history, on a connection the caller holds. */
final class BeadQueries {
  private BeadQueries() {}

  /** The beads not closed that carry {@code label}, by id: an index lookup, not a scan. */
  static List<Bead> openWithLabel(Connection c, String label) throws SQLException {
    return Sql.query(
        c,
        "SELECT data FROM beads WHERE id IN (SELECT issue_id FROM labels WHERE label = ?)"
            + " AND status != 'closed' ORDER BY id",
        rs -> BeadRows.parse(rs.getString(1)),
        label);
  }

  /** Beads matching the filter, by id. */
  static List<Bead> list(Connection c, BeadFilter filter) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT data FROM beads b WHERE 1=1");
    List<String> params = new ArrayList<>();
    if (filter.status() != null) {
      sql.append(" AND status = ?");
      params.add(filter.status());
    }
    if (filter.issueType() != null) {
      sql.append(" AND issue_type = ?");
      params.add(filter.issueType());
    }
    if (filter.assignee() != null) {
      sql.append(" AND assignee = ?");
      params.add(filter.assignee());
    }
    for (String label : filter.labels()) {
      sql.append(" AND EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = b.id AND l.label = ?)");
      params.add(label);
    }
    if (filter.parent() != null) {
      sql.append(
          " AND EXISTS (SELECT 1 FROM dependencies d WHERE d.issue_id = b.id"
              + " AND d.type = 'parent-child' AND d.depends_on_id = ?)");
      params.add(filter.parent());
    }
    sql.append(" ORDER BY id");
    return Sql.query(
            c, sql.toString(), rs -> BeadRows.parse(rs.getString(1)), params.toArray(String[]::new))
        .stream()
        .filter(filter::matches)
        .toList();
  }

  /** The beads with these ids, in the order given; unknown ids are left out. */
  static List<Bead> getAll(Connection c, List<String> ids) throws SQLException {
    List<Bead> beads = new ArrayList<>(ids.size());
    try (PreparedStatement st = c.prepareStatement("SELECT data FROM beads WHERE id = ?")) {
      for (String id : ids) {
        st.setString(1, id);
        try (ResultSet rs = st.executeQuery()) {
          if (rs.next()) {
            beads.add(BeadRows.parse(rs.getString(1)));
          }
        }
      }
    }
    return beads;
  }

  /** Incoming {@code blocks} edges of one bead (bd's {@code dependent_count}). */
  static int dependentCount(Connection c, String id) throws SQLException {
    return Sql.queryInt(
        c, "SELECT count(*) FROM dependencies WHERE depends_on_id = ? AND type = 'blocks'", id);
  }

  /** Incoming {@code blocks} edges of each id (bd's {@code dependent_count}). */
  static Map<String, Integer> dependentCounts(Connection c) throws SQLException {
    Map<String, Integer> counts = new HashMap<>();
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT depends_on_id, count(*) FROM dependencies WHERE type = 'blocks'"
                    + " GROUP BY depends_on_id");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getInt(2));
      }
    }
    return counts;
  }

  /** Beads that depend on {@code id}, each with the edge, for {@code show}. */
  static List<Map.Entry<Bead, String>> dependents(Connection c, String id) throws SQLException {
    return Sql.query(
        c,
        "SELECT b.data, d.type FROM dependencies d JOIN beads b ON b.id = d.issue_id"
            + " WHERE d.depends_on_id = ? ORDER BY b.id",
        rs -> Map.entry(BeadRows.parse(rs.getString(1)), rs.getString(2)),
        id);
  }

  /** The history of one bead, oldest first. */
  static List<HistoryEntry> history(Connection c, String id) throws SQLException {
    return Sql.query(
        c,
        "SELECT seq, bead_id, at, actor, event, from_value, to_value FROM history"
            + " WHERE bead_id = ? ORDER BY seq",
        rs ->
            new HistoryEntry(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7)),
        id);
  }
}
