package dev.beadpool.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadFormatException;
import dev.beadpool.bead.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Reads beads' rows inside a transaction or a read: one bead, by id, or the ones around it. */
final class BeadRows {
  private BeadRows() {}

  /** The bead, or {@link BeadNotFoundException}. */
  static Bead require(Connection c, String id) throws SQLException {
    Bead bead = load(c, id);
    if (bead == null) {
      throw new BeadNotFoundException(id);
    }
    return bead;
  }

  /** The bead, or null. */
  static Bead load(Connection c, String id) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT data FROM beads WHERE id = ?")) {
      st.setString(1, id);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? parse(rs.getString(1)) : null;
      }
    }
  }

  /** A bead's {@code data} column; a row that is not a bead is a corrupt store. */
  static Bead parse(String data) {
    JsonNode node = Json.parseOrNull(data);
    if (!(node instanceof ObjectNode object)) {
      throw new StoreException("corrupt bead row: " + data);
    }
    try {
      return Bead.fromJson(object);
    } catch (BeadFormatException e) {
      throw new StoreException("corrupt bead row: " + e.getMessage(), e);
    }
  }

  /** The targets of {@code id}'s edges of these types that are not done, by id. */
  static List<String> openTargets(Connection c, String id, String types) throws SQLException {
    return Sql.query(
        c,
        "SELECT d.depends_on_id FROM dependencies d JOIN beads t ON t.id = d.depends_on_id"
            + " WHERE d.issue_id = ? AND d.type IN "
            + types
            + " AND t.status NOT IN ('closed', 'pinned') ORDER BY d.depends_on_id",
        rs -> rs.getString(1),
        id);
  }

  /** How many parent-child children of {@code id} are not done. */
  static int openChildren(Connection c, String id) throws SQLException {
    return Sql.queryInt(
        c,
        "SELECT count(*) FROM dependencies d JOIN beads ch ON ch.id = d.issue_id"
            + " WHERE d.depends_on_id = ? AND d.type = 'parent-child'"
            + " AND ch.status NOT IN ('closed', 'pinned')",
        id);
  }
}
