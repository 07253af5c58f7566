package dev.beadpool.protocol;

/**
 * A bead's work, pushed to the repository's remote by the worker that ran it.
 *
 * @param branch {@code bead/<id>}
 * @param commit the branch's commit as pushed
 * @param base the commit the branch started from (the dispatch's {@code base})
 */
public record PushedBranch(String branch, String commit, String base) {
  public PushedBranch {
    java.util.Objects.requireNonNull(branch, "branch");
    java.util.Objects.requireNonNull(commit, "commit");
  }
}
