package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadEditor;
import dev.beadpool.bead.BeadFormatException;
import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.DependencyRef;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.bead.Timestamps;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Creates beads as {@code bd create} does, inside the caller's transaction. */
final class BeadCreation {
  private final Clock clock;
  private final IdAllocator ids;

  BeadCreation(Clock clock, IdAllocator ids) {
    this.clock = clock;
    this.ids = ids;
  }

  /**
   * Creates a bead, with a design (bd's {@code --design}, may be null), and returns it. Refuses an
   * unknown parent or dependency target, a taken id and a self-dependency.
   */
  Bead create(Connection c, NewBead spec, String design, String actor) throws SQLException {
    Instant now = clock.instant();
    if (spec.parent() != null && BeadRows.load(c, spec.parent()) == null) {
      throw new BeadNotFoundException(spec.parent());
    }
    String id = spec.explicitId() != null ? spec.explicitId() : ids.newId(c, spec, actor, now);
    if (BeadRows.load(c, id) != null) {
      throw new RefusedException("issue ID already exists: " + id);
    }
    List<Dependency> deps = new ArrayList<>();
    String stamp = Timestamps.format(now);
    if (spec.parent() != null) {
      deps.add(
          Dependency.create(id, spec.parent(), DependencyType.PARENT_CHILD_TYPE, stamp, actor));
    }
    for (String ref : spec.dependencies()) {
      DependencyRef dep = DependencyRef.parse(ref);
      if (BeadRows.load(c, dep.target()) == null) {
        throw new RefusedException("dependency target " + dep.target() + " not found");
      }
      if (dep.target().equals(id)) {
        throw new RefusedException("issue cannot depend on itself");
      }
      deps.add(Dependency.create(id, dep.target(), dep.type(), stamp, actor));
    }
    BeadEditor editor =
        BeadEditor.create(id, spec.title(), now)
            .priority(spec.priority())
            .text("issue_type", spec.issueType())
            .text("description", spec.description())
            .text("design", design)
            .text("assignee", spec.assignee())
            .text("created_by", actor)
            .labels(spec.labels())
            .dependencies(deps);
    Bead bead;
    try {
      bead = editor.buildValidated();
    } catch (BeadFormatException e) {
      throw new RefusedException(e.getMessage());
    }
    try (RowWriter w = new RowWriter(c, clock)) {
      w.insert(bead);
      w.insertDependencies(bead.dependencies());
      w.history(id, actor, "created", null, bead.status());
    }
    return bead;
  }
}
