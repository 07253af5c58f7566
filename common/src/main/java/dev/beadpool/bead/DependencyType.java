package dev.beadpool.bead;

/**
 * What a dependency type means for readiness. Types are strings in the data (custom ones exist);
 * this classifies them.
 */
public enum DependencyType {
  /**
   * {@code blocks} and {@code conditional-blocks}: the dependent waits until the target is done.
   */
  BLOCKING,
  /** {@code waits-for}: the dependent waits on the target's children (a gate). */
  WAITS_FOR,
  /** {@code parent-child}: issue_id is the child, depends_on_id the parent. */
  PARENT_CHILD,
  /** Everything else ({@code related}, {@code discovered-from}, ...): never blocks. */
  INFORMATIONAL;

  public static final String BLOCKS = "blocks";
  public static final String CONDITIONAL_BLOCKS = "conditional-blocks";
  public static final String WAITS_FOR_TYPE = "waits-for";
  public static final String PARENT_CHILD_TYPE = "parent-child";

  /**
   * bd's built-in types (its {@code IsWellKnown}). bd also accepts custom types of up to {@link
   * #MAX_TYPE_LENGTH} characters; these are the ones every tracker understands.
   */
  public static final java.util.Set<String> WELL_KNOWN =
      java.util.Set.of(
          BLOCKS,
          PARENT_CHILD_TYPE,
          CONDITIONAL_BLOCKS,
          WAITS_FOR_TYPE,
          "related",
          "discovered-from",
          "replies-to",
          "relates-to",
          "duplicates",
          "supersedes",
          "authored-by",
          "assigned-to",
          "approved-by",
          "attests",
          "tracks",
          "until",
          "caused-by",
          "validates",
          "delegated-from");

  /** bd refuses longer type names. */
  public static final int MAX_TYPE_LENGTH = 50;

  public static DependencyType of(String type) {
    if (type == null) {
      return INFORMATIONAL;
    }
    return switch (type) {
      case BLOCKS, CONDITIONAL_BLOCKS -> BLOCKING;
      case WAITS_FOR_TYPE -> WAITS_FOR;
      case PARENT_CHILD_TYPE -> PARENT_CHILD;
      default -> INFORMATIONAL;
    };
  }

  /** True for the types that can make an issue blocked. */
  public boolean affectsReadiness() {
    return this != INFORMATIONAL;
  }
}
