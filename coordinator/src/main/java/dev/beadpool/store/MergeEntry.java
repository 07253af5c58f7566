package dev.beadpool.store;

/**
 * A bead's row in the merge queue.
 *
 * @param run the run whose work was pushed
 * @param commit the pushed branch's commit
 * @param base the commit the branch started from (null if the worker started from the remote's
 *     branch without a recorded head)
 * @param closeReason the close the run would have made, made at merge
 * @param pushedAt when the push was recorded, epoch milliseconds
 * @param mergedAt when the merge was recorded, epoch milliseconds (null until merged)
 * @param feedback why the work was sent back, for the next attempt's prompt (null otherwise)
 * @param approved {@code merge: manual}: a human said merge it ({@code beadpool merge})
 * @param priority the bead's priority now, for the queue's order
 */
public record MergeEntry(
    String beadId,
    long run,
    String branch,
    String commit,
    String base,
    MergePhase phase,
    String closeReason,
    long pushedAt,
    Long mergedAt,
    String mergeCommit,
    String prUrl,
    String feedback,
    boolean approved,
    int priority) {}
