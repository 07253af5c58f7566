package dev.beadpool.store;

import dev.beadpool.bead.Timestamps;
import dev.beadpool.graph.BeadState;
import dev.beadpool.graph.Edge;
import dev.beadpool.graph.ReadyEngine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Loads the readiness graph from indexed columns (no JSON parsing), so that it is cheap even for
 * 100k beads.
 */
final class GraphLoader {
  private static final int PARALLEL_LOAD_ATTEMPTS = 3;

  private final Transactions transactions;

  GraphLoader(Transactions transactions) {
    this.transactions = transactions;
  }

  /**
   * The graph as one consistent snapshot. Beads and edges are read in parallel on two read-only
   * connections; both read the store's revision inside their read transaction, and a write
   * committed in between makes them try again.
   */
  ReadyEngine load() {
    transactions.ensureOpen();
    try {
      for (int attempt = 0; attempt < PARALLEL_LOAD_ATTEMPTS; attempt++) {
        try (Connection beadsReader = transactions.openReader();
            Connection edgesReader = transactions.openReader()) {
          FutureTask<Snapshot<List<Edge>>> edges =
              new FutureTask<>(() -> snapshot(edgesReader, GraphLoader::readEdges));
          Thread thread = new Thread(edges, "store-edge-reader");
          thread.setDaemon(true);
          thread.start();
          Snapshot<List<BeadState>> beads = snapshot(beadsReader, GraphLoader::readStates);
          Snapshot<List<Edge>> edgeSnapshot = join(edges);
          if (beads.revision() == edgeSnapshot.revision()) {
            return ReadyEngine.build(beads.value(), edgeSnapshot.value());
          }
        }
      }
      try (Connection reader = transactions.openReader()) {
        return snapshot(reader, GraphLoader::engine).value();
      }
    } catch (SQLException e) {
      throw transactions.failed(e);
    }
  }

  /** The graph as the connection's transaction sees it. */
  static ReadyEngine engine(Connection c) throws SQLException {
    return ReadyEngine.build(readStates(c), readEdges(c));
  }

  private record Snapshot<T>(long revision, T value) {}

  /** Runs {@code work} in one read transaction, with the revision it saw. */
  private static <T> Snapshot<T> snapshot(Connection reader, Sql.Work<T> work) throws SQLException {
    reader.setAutoCommit(false);
    try {
      long revision = StoreConfig.revision(reader);
      return new Snapshot<>(revision, work.run(reader));
    } finally {
      reader.rollback();
    }
  }

  private static <T> T join(FutureTask<T> task) throws SQLException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while loading the bead graph", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      throw new StoreException("loading the bead graph: " + e.getCause(), e.getCause());
    }
  }

  private static List<BeadState> readStates(Connection c) throws SQLException {
    List<BeadState> states = new ArrayList<>(Sql.queryInt(c, "SELECT count(*) FROM beads"));
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT id, status, priority, issue_type, created_at, defer_until, pinned, ephemeral"
                    + " FROM beads");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        long defer = rs.getLong(6);
        Instant deferUntil = rs.wasNull() ? null : Timestamps.fromEpochNanos(defer);
        states.add(
            new BeadState(
                rs.getString(1),
                rs.getString(2),
                rs.getInt(3),
                rs.getString(4),
                Timestamps.fromEpochNanos(rs.getLong(5)),
                deferUntil,
                rs.getInt(7) != 0,
                rs.getInt(8) != 0));
      }
    }
    return states;
  }

  /** Every edge of the graph index. */
  static List<Edge> readEdges(Connection c) throws SQLException {
    List<Edge> edges = new ArrayList<>(Sql.queryInt(c, "SELECT count(*) FROM dependencies"));
    try (PreparedStatement st =
            c.prepareStatement("SELECT issue_id, depends_on_id, type, gate FROM dependencies");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        edges.add(new Edge(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    }
    return edges;
  }
}
