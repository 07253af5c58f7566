package dev.beadpool.bead;

import java.util.Set;

/**
 * bd's status vocabulary. Statuses are strings, not an enum: teams define custom ones and beadpool
 * must carry them through unchanged.
 */
public final class Statuses {
  public static final String OPEN = "open";
  public static final String IN_PROGRESS = "in_progress";
  public static final String BLOCKED = "blocked";
  public static final String DEFERRED = "deferred";
  public static final String CLOSED = "closed";
  public static final String PINNED = "pinned";
  public static final String HOOKED = "hooked";

  /** Soft-deleted issues of the SQLite era; skipped on import. */
  public static final String TOMBSTONE = "tombstone";

  /** The statuses bd knows; others are legal custom statuses. */
  public static final Set<String> BUILT_IN =
      Set.of(OPEN, IN_PROGRESS, BLOCKED, DEFERRED, CLOSED, PINNED, HOOKED);

  private Statuses() {}

  /** A blocker in one of these statuses no longer blocks (BEADS.md section 4). */
  public static boolean isDone(String status) {
    return CLOSED.equals(status) || PINNED.equals(status);
  }
}
