package dev.beadpool.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.agent.Git;
import dev.beadpool.agent.GitException;
import dev.beadpool.agent.RemoteFailure;
import dev.beadpool.agent.RepositoryClone;
import dev.beadpool.agent.Worktrees;
import dev.beadpool.bead.Json;
import dev.beadpool.bead.Timestamps;
import dev.beadpool.protocol.BdOperation;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.PushedBranch;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * What becomes of a run's git worktree after its agent: on success its changes are committed on the
 * bead's branch (and, with a {@code repository:}, pushed to the remote) and the worktree removed;
 * on failure the worktree is kept for a human. Either way the bead's metadata records branch, phase
 * and commit: {@code working}, {@code committed} (a local worktree) or {@code pushed} (with the
 * base).
 */
final class WorktreeOutcome {
  /** Phases as the bead's {@code worktree.phase} metadata names them. */
  static final String WORKING = "working";

  static final String COMMITTED = "committed";
  static final String PUSHED = "pushed";

  private WorktreeOutcome() {}

  /**
   * How the worktree was settled.
   *
   * @param metadata the operation that records it on the bead
   * @param pushed the branch as pushed, or null
   * @param infraError why the commit or push failed for the worker's infrastructure (the run is
   *     then released), or null
   */
  record Settled(BdOperation metadata, PushedBranch pushed, String infraError) {}

  /**
   * Settles the worktree.
   *
   * @param clone the worker's clone when the worktree is one of its, else null
   * @param note where the worker's own lines about it go
   */
  static Settled settle(
      DispatchMessage dispatch,
      Worktrees.Worktree worktree,
      RepositoryClone clone,
      Git git,
      boolean succeeded,
      Consumer<String> note) {
    ObjectNode wt = Json.MAPPER.createObjectNode();
    wt.put("branch", worktree.branch());
    wt.put("path", worktree.path().toString());
    wt.put("phase", WORKING);
    if (worktree.base() != null) {
      wt.put("base", worktree.base());
    }
    PushedBranch pushed = null;
    String infraError = null;
    if (succeeded && clone != null) {
      try {
        String commit =
            clone.commitAndPush(worktree, dispatch.beadId(), dispatch.title(), dispatch.run());
        pushed = new PushedBranch(worktree.branch(), commit, worktree.base());
        wt.put("commit", commit);
        wt.put("phase", PUSHED);
        note.accept(
            "pushed "
                + commit
                + " to "
                + worktree.branch()
                + " of "
                + clone.config().url()
                + " (phase pushed, base "
                + worktree.base()
                + ")");
        removeQuietly(clone, worktree, wt, note);
      } catch (RemoteFailure e) {
        infraError = "push failed: " + e.getMessage();
        wt.put("error", infraError);
        note.accept(infraError + " (released: no attempt spent; worktree kept)");
      }
    } else if (succeeded) {
      try {
        String commit =
            Worktrees.commit(git, worktree, dispatch.beadId(), dispatch.title(), dispatch.run());
        wt.put("commit", commit);
        wt.put("phase", COMMITTED);
        Worktrees.remove(git, worktree);
        wt.remove("path");
        note.accept("committed " + commit + " on " + worktree.branch() + " (phase committed)");
      } catch (GitException e) {
        wt.put("error", e.getMessage());
        note.accept("worktree kept: " + e.getMessage());
      }
    } else {
      note.accept("worktree kept for a human: " + worktree.path());
    }
    ObjectNode metadata = Json.MAPPER.createObjectNode();
    metadata.set("worktree", wt);
    return new Settled(
        BdOperation.metadata(dispatch.beadId(), metadata, Timestamps.format(Instant.now())),
        pushed,
        infraError);
  }

  /** The work is pushed: a worktree that will not go is only untidy, never a failed run. */
  private static void removeQuietly(
      RepositoryClone clone, Worktrees.Worktree worktree, ObjectNode wt, Consumer<String> note) {
    try {
      clone.remove(worktree);
      wt.remove("path");
    } catch (RemoteFailure e) {
      note.accept("worktree " + worktree.path() + " not removed: " + e.getMessage());
    }
  }
}
