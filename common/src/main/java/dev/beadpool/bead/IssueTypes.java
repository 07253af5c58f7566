package dev.beadpool.bead;

import java.util.Set;

/** bd's issue types. Custom types are legal, so these are strings. */
public final class IssueTypes {
  public static final String TASK = "task";
  public static final String BUG = "bug";
  public static final String FEATURE = "feature";
  public static final String EPIC = "epic";
  public static final String CHORE = "chore";

  /** Types that are never ready work, whatever their state (BEADS.md section 4). */
  public static final Set<String> NEVER_READY =
      Set.of("merge-request", "gate", "molecule", "message", "agent", "role", "rig");

  private IssueTypes() {}
}
