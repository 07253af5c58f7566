package dev.beadpool.store;

import dev.beadpool.bead.DependencyType;
import dev.beadpool.protocol.Usage;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sums the runs' usage. The sums are made here, in {@link java.math.BigDecimal}, not by SQLite's
 * {@code SUM}, which would turn the exact cost text into a float.
 */
final class SpendQueries {
  /** Parent-child chains are followed at most this deep (a guard against a cycle in bad data). */
  static final int MAX_DEPTH = 64;

  private static final String REPORTED =
      " (input_tokens IS NOT NULL OR output_tokens IS NOT NULL OR cost_usd IS NOT NULL)";

  private SpendQueries() {}

  private record Row(String beadId, String profile, String day, Usage usage) {}

  /** A bead's own spend, over all its runs. */
  static Spend ofBead(Connection c, String beadId) throws SQLException {
    Spend spend = Spend.ZERO;
    for (Row r : rows(c, " WHERE bead_id = ? AND" + REPORTED, beadId)) {
      spend = spend.plus(r.usage());
    }
    return spend;
  }

  /** The pool's spend per bead, epic, profile and day. */
  static SpendTotals totals(Connection c) throws SQLException {
    Map<String, Spend> beads = new HashMap<>();
    Map<String, Spend> profiles = new HashMap<>();
    Map<String, Spend> days = new HashMap<>();
    Spend total = Spend.ZERO;
    for (Row r : rows(c, " WHERE" + REPORTED)) {
      beads.merge(r.beadId(), Spend.ZERO.plus(r.usage()), Spend::plus);
      profiles.merge(r.profile(), Spend.ZERO.plus(r.usage()), Spend::plus);
      days.merge(r.day(), Spend.ZERO.plus(r.usage()), Spend::plus);
      total = total.plus(r.usage());
    }
    Map<String, String> parents = parents(c);
    Map<String, Spend> epics = new HashMap<>();
    beads.forEach(
        (bead, spend) -> {
          for (String ancestor : ancestors(bead, parents)) {
            epics.merge(ancestor, spend, Spend::plus);
          }
        });
    // why: an epic's own runs (rare: epics are not dispatched) count toward it too
    epics.replaceAll((id, spend) -> spend.plus(beads.getOrDefault(id, Spend.ZERO)));
    return new SpendTotals(beads, epics, profiles, days, total);
  }

  /** The ancestors of a bead, nearest first, through parent-child. */
  static List<String> ancestors(String bead, Map<String, String> parents) {
    List<String> out = new java.util.ArrayList<>();
    Set<String> seen = new HashSet<>();
    seen.add(bead);
    String at = parents.get(bead);
    while (at != null && seen.add(at) && out.size() < MAX_DEPTH) {
      out.add(at);
      at = parents.get(at);
    }
    return out;
  }

  /** Each child's parent. */
  private static Map<String, String> parents(Connection c) throws SQLException {
    Map<String, String> parents = new HashMap<>();
    for (String[] edge :
        Sql.query(
            c,
            "SELECT issue_id, depends_on_id FROM dependencies WHERE type = ?",
            rs -> new String[] {rs.getString(1), rs.getString(2)},
            DependencyType.PARENT_CHILD_TYPE)) {
      parents.putIfAbsent(edge[0], edge[1]);
    }
    return parents;
  }

  private static List<Row> rows(Connection c, String where, String... params) throws SQLException {
    return Sql.query(
        c,
        "SELECT bead_id, profile, substr(coalesce(ended_at, started_at, dispatched_at), 1, 10),"
            + " input_tokens, output_tokens, cost_usd, model FROM runs"
            + where,
        rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), RunRows.usage(rs, 4)),
        params);
  }
}
