package dev.beadpool.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.bead.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Every row a write transaction touches goes through here: a bead's row, its index rows
 * (dependencies, labels, comments) and history. Each statement is prepared once per transaction,
 * which is what makes a 100k-bead import cheap. Lives for one transaction on its connection.
 */
final class RowWriter implements AutoCloseable {
  private static final String BEAD_COLUMNS =
      "id, title, status, priority, issue_type, assignee, created_at, updated_at, defer_until,"
          + " pinned, ephemeral, data";

  private static final String[] SQL = {
    "INSERT INTO beads(" + BEAD_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "UPDATE beads SET title = ?, status = ?, priority = ?, issue_type = ?, assignee = ?,"
        + " created_at = ?, updated_at = ?, defer_until = ?, pinned = ?, ephemeral = ?, data = ?"
        + " WHERE id = ?",
    "DELETE FROM dependencies WHERE issue_id = ?",
    "DELETE FROM labels WHERE issue_id = ?",
    "DELETE FROM comments WHERE issue_id = ?",
    "INSERT OR IGNORE INTO dependencies(issue_id, depends_on_id, type, gate) VALUES (?, ?, ?, ?)",
    "INSERT OR IGNORE INTO labels(issue_id, label) VALUES (?, ?)",
    "INSERT INTO comments(issue_id, position, comment_id, author, text, created_at)"
        + " VALUES (?, ?, ?, ?, ?, ?)",
    "INSERT INTO history(bead_id, at, actor, event, from_value, to_value) VALUES (?, ?, ?, ?, ?, ?)",
    "SELECT 1 FROM beads WHERE id = ?"
  };
  private static final int INSERT_BEAD = 0;
  private static final int UPDATE_BEAD = 1;
  private static final int DELETE_DEPENDENCIES = 2;
  private static final int DELETE_LABELS = 3;
  private static final int DELETE_COMMENTS = 4;
  private static final int INSERT_DEPENDENCY = 5;
  private static final int INSERT_LABEL = 6;
  private static final int INSERT_COMMENT = 7;
  private static final int INSERT_HISTORY = 8;
  private static final int BEAD_EXISTS = 9;

  private final Connection connection;
  private final Clock clock;
  private final PreparedStatement[] statements = new PreparedStatement[SQL.length];

  RowWriter(Connection connection, Clock clock) {
    this.connection = connection;
    this.clock = clock;
  }

  private PreparedStatement statement(int which) throws SQLException {
    PreparedStatement st = statements[which];
    if (st == null) {
      st = connection.prepareStatement(SQL[which]);
      statements[which] = st;
    }
    return st;
  }

  /** Inserts a new bead with its labels and comments; its edges are the caller's choice. */
  void insert(Bead bead) throws SQLException {
    PreparedStatement st = statement(INSERT_BEAD);
    st.setString(1, bead.id());
    bindColumns(st, 2, bead);
    st.executeUpdate();
    writeLabelsAndComments(bead);
  }

  /** Rewrites an existing bead's row, labels and comments; its edges are the caller's choice. */
  void update(Bead bead) throws SQLException {
    PreparedStatement st = statement(UPDATE_BEAD);
    bindColumns(st, 1, bead);
    st.setString(12, bead.id());
    st.executeUpdate();
    for (int which : new int[] {DELETE_DEPENDENCIES, DELETE_LABELS, DELETE_COMMENTS}) {
      PreparedStatement delete = statement(which);
      delete.setString(1, bead.id());
      delete.executeUpdate();
    }
    writeLabelsAndComments(bead);
  }

  private static void bindColumns(PreparedStatement st, int first, Bead bead) throws SQLException {
    int i = first;
    st.setString(i++, bead.title());
    st.setString(i++, bead.status());
    st.setInt(i++, bead.priority());
    st.setString(i++, bead.issueType());
    st.setString(i++, bead.assignee());
    st.setLong(i++, Timestamps.epochNanos(bead.createdAt()));
    st.setLong(i++, Timestamps.epochNanos(bead.updatedAt()));
    if (bead.deferUntil() == null) {
      st.setNull(i++, Types.INTEGER);
    } else {
      st.setLong(i++, Timestamps.epochNanos(bead.deferUntil()));
    }
    st.setInt(i++, bead.pinned() ? 1 : 0);
    st.setInt(i++, bead.ephemeral() ? 1 : 0);
    st.setString(i, bead.toJsonText());
  }

  private void writeLabelsAndComments(Bead bead) throws SQLException {
    if (!bead.labels().isEmpty()) {
      PreparedStatement st = statement(INSERT_LABEL);
      for (String label : bead.labels()) {
        st.setString(1, bead.id());
        st.setString(2, label);
        st.executeUpdate();
      }
    }
    if (bead.commentCount() > 0) {
      PreparedStatement st = statement(INSERT_COMMENT);
      List<ObjectNode> comments = bead.comments();
      for (int i = 0; i < comments.size(); i++) {
        ObjectNode comment = comments.get(i);
        st.setString(1, bead.id());
        st.setInt(2, i);
        st.setString(3, comment.hasNonNull("id") ? comment.get("id").asText() : null);
        st.setString(4, comment.path("author").asText(null));
        st.setString(5, comment.path("text").asText(null));
        st.setString(6, comment.path("created_at").asText(null));
        st.executeUpdate();
      }
    }
  }

  /**
   * Adds a bead's edges to the graph index: only those whose target the store holds. An edge to any
   * other id ({@code external:gastown:gt-9}, a bead deleted elsewhere) stays in its bead's JSON,
   * exported as it came, but is no row: the ready engine ignores it (bd: an edge to an id not in
   * the data never blocks), so no write of the bead may depend on it. Returns those left out,
   * described, for a report.
   */
  List<String> insertDependencies(Collection<Dependency> deps) throws SQLException {
    return insertDependencies(deps, this::beadExists);
  }

  /**
   * As {@link #insertDependencies(Collection)}, with the store's ids known to the caller (an import
   * holds them in memory, so 200k edges cost no query each).
   */
  List<String> insertDependencies(Collection<Dependency> deps, TargetCheck targetExists)
      throws SQLException {
    List<String> skipped = new ArrayList<>();
    for (Dependency d : deps) {
      if (!targetExists.exists(d.dependsOnId())) {
        skipped.add(d.issueId() + " -> " + d.dependsOnId() + " (" + d.type() + ")");
        continue;
      }
      PreparedStatement st = statement(INSERT_DEPENDENCY);
      st.setString(1, d.issueId());
      st.setString(2, d.dependsOnId());
      st.setString(3, d.type());
      st.setString(4, d.kind() == DependencyType.WAITS_FOR ? d.gate() : null);
      st.executeUpdate();
    }
    return skipped;
  }

  /** Whether the store holds a bead with this id. */
  @FunctionalInterface
  interface TargetCheck {
    boolean exists(String id) throws SQLException;
  }

  private boolean beadExists(String id) throws SQLException {
    PreparedStatement st = statement(BEAD_EXISTS);
    st.setString(1, id);
    try (java.sql.ResultSet rs = st.executeQuery()) {
      return rs.next();
    }
  }

  /**
   * Writes a changed bead and its indexes, and records in the history its changes of status,
   * assignee, priority, title and text fields.
   */
  void change(Bead before, Bead after, String actor) throws SQLException {
    update(after);
    insertDependencies(after.dependencies());
    if (!before.status().equals(after.status())) {
      history(after.id(), actor, "status", before.status(), after.status());
    }
    if (!Objects.equals(before.assignee(), after.assignee())) {
      history(after.id(), actor, "assignee", before.assignee(), after.assignee());
    }
    for (String field : HISTORY_FIELDS) {
      JsonNode a = before.field(field);
      JsonNode b = after.field(field);
      if (!Objects.equals(a, b)) {
        history(
            after.id(), actor, field, a == null ? null : a.asText(), b == null ? null : b.asText());
      }
    }
  }

  private static final List<String> HISTORY_FIELDS =
      List.of("priority", "title", "description", "design", "acceptance_criteria", "notes");

  /** Appends one state change to the history: who, when, what, from, to. */
  void history(String id, String actor, String event, String from, String to) throws SQLException {
    PreparedStatement st = statement(INSERT_HISTORY);
    st.setString(1, id);
    st.setString(2, Timestamps.format(clock.instant()));
    st.setString(3, actor);
    st.setString(4, event);
    st.setString(5, from);
    st.setString(6, to);
    st.executeUpdate();
  }

  @Override
  public void close() throws SQLException {
    SQLException first = null;
    for (PreparedStatement st : statements) {
      if (st != null) {
        try {
          st.close();
        } catch (SQLException e) {
          first = first == null ? e : first;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
