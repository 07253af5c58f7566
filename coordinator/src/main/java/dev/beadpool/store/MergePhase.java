package dev.beadpool.store;

import java.util.Locale;

/**
 * Where a bead's pushed work is on its way into the integration branch; the bead's metadata shows
 * it as {@code worktree.phase} ({@link #label()}).
 */
public enum MergePhase {
  /** A worker pushed {@code bead/<id>}; the bead waits for the integrator (or a human's merge). */
  PUSHED,
  /**
   * {@code merge: pull-request}: a pull request is open; merged when its commit is in the branch.
   */
  PR_CREATED,
  /** In the integration branch: the bead is closed. */
  MERGED,
  /** A conflict, a failed verify or a reviewer's rejection sent the work back to an agent. */
  SENT_BACK;

  /** As metadata and {@code status} show it: {@code pushed}, {@code pr_created}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Still on its way: the integrator has something to do (or to check) for it. */
  public boolean pending() {
    return this == PUSHED || this == PR_CREATED;
  }
}
