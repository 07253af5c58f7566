package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadEdits;
import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.Timestamps;
import dev.beadpool.graph.Edge;
import dev.beadpool.graph.GraphException;
import dev.beadpool.graph.ReadyEngine;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code bd dep add} and {@code bd dep remove}, inside the caller's transaction. */
final class DependencyWrites {
  private final Clock clock;

  DependencyWrites(Clock clock) {
    this.clock = clock;
  }

  /** The check on a dependency's type that needs no store: non-empty, at most 50 characters. */
  static void checkType(String type) {
    if (type == null || type.isBlank() || type.length() > 50) {
      throw new RefusedException(
          "invalid dependency type '" + type + "': must be non-empty and at most 50 characters");
    }
  }

  /**
   * {@code bd dep add FROM TO}: FROM depends on TO. Refuses unknown ids, self-dependencies, a child
   * depending on its own parent, and any edge that would close a cycle (the message prints it).
   */
  Dependency add(Connection c, String from, String to, String type, String actor)
      throws SQLException {
    Bead bead = BeadRows.require(c, from);
    if (BeadRows.load(c, to) == null) {
      throw new BeadNotFoundException(to);
    }
    String ancestor = BeadEdits.ancestorRefusal(from, to, type);
    if (ancestor != null) {
      throw new RefusedException(ancestor);
    }
    ReadyEngine engine = GraphLoader.engine(c);
    try {
      engine.addEdge(new Edge(from, to, type, null));
    } catch (GraphException e) {
      throw new RefusedException("cannot add dependency: " + e.getMessage());
    }
    Instant now = clock.instant();
    Dependency dep = Dependency.create(from, to, type, Timestamps.format(now), actor);
    Bead after = BeadEdits.addDependency(bead.edit(), bead, dep).touch(now).build();
    try (RowWriter w = new RowWriter(c, clock)) {
      w.change(bead, after, actor);
      w.history(from, actor, "dependency_added", null, type + " " + to);
    }
    return dep;
  }

  /** {@code bd dep remove FROM TO}; refused if there is no such edge. */
  void remove(Connection c, String from, String to, String actor) throws SQLException {
    Bead bead = BeadRows.require(c, from);
    List<Dependency> kept = new ArrayList<>();
    Dependency removed = null;
    for (Dependency d : bead.dependencies()) {
      if (d.dependsOnId().equals(to)) {
        removed = d;
      } else {
        kept.add(d);
      }
    }
    if (removed == null) {
      throw new RefusedException("no dependency from " + from + " on " + to);
    }
    Bead after = bead.edit().dependencies(kept).touch(clock.instant()).build();
    try (RowWriter w = new RowWriter(c, clock)) {
      w.change(bead, after, actor);
      w.history(from, actor, "dependency_removed", removed.type() + " " + to, null);
    }
  }
}
