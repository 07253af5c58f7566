package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadEdits;
import dev.beadpool.bead.IssueTypes;
import dev.beadpool.bead.Statuses;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * {@code bd update --claim} and {@code bd close}: the checks that decide whether they may happen,
 * inside the caller's transaction; what they change is {@link BeadEdits}'.
 */
final class StatusWrites {
  private final Clock clock;

  StatusWrites(Clock clock) {
    this.clock = clock;
  }

  /**
   * bd's claim, as one compare-and-set: succeeds only if the bead is open and unassigned, or
   * already claimed by the same actor.
   */
  Bead claim(Connection c, String id, String actor) throws SQLException {
    Bead before = BeadRows.require(c, id);
    String holder = before.assignee();
    if (holder != null && !holder.equals(actor)) {
      throw new RefusedException("issue " + id + " already claimed by " + holder);
    }
    if (actor.equals(holder) && Statuses.IN_PROGRESS.equals(before.status())) {
      return before;
    }
    if (!Statuses.OPEN.equals(before.status())) {
      throw new RefusedException("issue " + id + " not claimable: status " + before.status());
    }
    Instant now = clock.instant();
    Bead after = BeadEdits.claim(before.edit(), before, actor, now).touch(now).build();
    try (RowWriter w = new RowWriter(c, clock)) {
      w.change(before, after, actor);
    }
    return after;
  }

  /**
   * Closes a bead as {@code bd close}: refused while it has open blockers or, for an epic, open
   * children, unless forced. Closing a closed bead changes nothing.
   */
  Bead close(Connection c, String id, String reason, boolean force, String actor)
      throws SQLException {
    Bead before = BeadRows.require(c, id);
    if (before.isClosed()) {
      return before;
    }
    if (!force) {
      refuseWhileOpenBlockers(c, before);
    }
    Instant now = clock.instant();
    Bead after = BeadEdits.close(before.edit(), before, reason, now).touch(now).build();
    try (RowWriter w = new RowWriter(c, clock)) {
      w.change(before, after, actor);
    }
    return after;
  }

  private static void refuseWhileOpenBlockers(Connection c, Bead bead) throws SQLException {
    String id = bead.id();
    List<String> blockers = BeadRows.openTargets(c, id, "('blocks', 'conditional-blocks')");
    if (!blockers.isEmpty()) {
      throw new RefusedException(
          "cannot close "
              + id
              + ": blocked by open issues "
              + blockers
              + " (use --force to override)");
    }
    if (IssueTypes.EPIC.equals(bead.issueType())) {
      int open = BeadRows.openChildren(c, id);
      if (open > 0) {
        throw new RefusedException(
            "cannot close epic "
                + id
                + ": "
                + open
                + " open child issue(s); close children first or use --force to override");
      }
    }
  }
}
