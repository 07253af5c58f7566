package dev.beadpool.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.agent.Worktrees;
import dev.beadpool.bead.Json;
import dev.beadpool.bead.Timestamps;
import dev.beadpool.protocol.BdOperation;
import dev.beadpool.protocol.DispatchMessage;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * What becomes of a run's git worktree after its agent: on success its changes are committed on the
 * bead's branch and the worktree removed; on failure the worktree is kept for a human. Either way
 * the bead's metadata records branch, phase and commit.
 */
final class WorktreeOutcome {
  private WorktreeOutcome() {}

  /**
   * Settles the worktree and returns the metadata operation that records it.
   *
   * @param note where the worker's own lines about it go
   */
  static BdOperation settle(
      DispatchMessage dispatch,
      Worktrees.Worktree worktree,
      boolean succeeded,
      Consumer<String> note) {
    ObjectNode wt = Json.MAPPER.createObjectNode();
    wt.put("branch", worktree.branch());
    wt.put("path", worktree.path().toString());
    wt.put("phase", "working");
    if (succeeded) {
      try {
        String commit =
            Worktrees.commit(worktree, dispatch.beadId(), dispatch.title(), dispatch.run());
        wt.put("commit", commit);
        wt.put("phase", "committed");
        Worktrees.remove(worktree);
        wt.remove("path");
        note.accept("committed " + commit + " on " + worktree.branch() + " (phase committed)");
      } catch (Worktrees.GitException e) {
        wt.put("error", e.getMessage());
        note.accept("worktree kept: " + e.getMessage());
      }
    } else {
      note.accept("worktree kept for a human: " + worktree.path());
    }
    ObjectNode metadata = Json.MAPPER.createObjectNode();
    metadata.set("worktree", wt);
    return BdOperation.metadata(dispatch.beadId(), metadata, Timestamps.format(Instant.now()));
  }
}
