package dev.beadpool.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A git worktree per bead on branch {@code bead/<id>} (the parallel-orchestrator convention):
 * agents working on several beads of one repository at once do not see each other's changes. Every
 * git command is an argument list; bead text only ever reaches git as a single argument.
 */
public final class Worktrees {
  private Worktrees() {}

  /**
   * A worktree made for a bead.
   *
   * @param base the commit its branch started from (with a {@code repository:}), else null
   */
  public record Worktree(Path repository, Path path, String branch, String base) {
    public Worktree(Path repository, Path path, String branch) {
      this(repository, path, branch, null);
    }
  }

  /** The branch of a bead: {@code bead/<id>}, the id made safe for a ref and a file name. */
  public static String branchOf(String beadId) {
    return "bead/" + AgentRunner.safe(beadId);
  }

  /**
   * Creates (or reuses, after a failed attempt kept it) the worktree of a bead in {@code
   * <repository>/<worktrees>/<id>}, on branch {@code bead/<id>}, from the repository's HEAD.
   */
  public static Worktree create(Git git, Path workDir, String worktrees, String beadId)
      throws GitException {
    Path top = Path.of(git.run(workDir, "rev-parse", "--show-toplevel").strip());
    String branch = branchOf(beadId);
    Path path = top.resolve(worktrees).resolve(AgentRunner.safe(beadId)).normalize();
    if (!path.startsWith(top)) {
      throw new GitException("workspace.worktrees must lie inside the repository: " + worktrees);
    }
    if (Files.isDirectory(path.resolve(".git")) || Files.isRegularFile(path.resolve(".git"))) {
      return new Worktree(top, path, branch);
    }
    boolean branchExists = git.ok(top, "rev-parse", "--verify", "--quiet", "refs/heads/" + branch);
    if (branchExists) {
      git.run(top, "worktree", "add", path.toString(), branch);
    } else {
      git.run(top, "worktree", "add", "-b", branch, path.toString(), "HEAD");
    }
    return new Worktree(top, path, branch);
  }

  /**
   * Commits everything the agent changed in the worktree, with the bead id in the message.
   *
   * @return the branch's commit afterwards (the base commit if there was nothing to commit)
   */
  public static String commit(Git git, Worktree worktree, String beadId, String title, long run)
      throws GitException {
    git.run(worktree.path(), "add", "-A");
    if (!git.ok(worktree.path(), "diff", "--cached", "--quiet")) {
      String subject = title.lines().findFirst().orElse("").strip();
      if (subject.length() > 72) {
        subject = subject.substring(0, 71) + "…";
      }
      List<String> args = new ArrayList<>();
      if (git.lenient(worktree.path(), "config", "--get", "user.email").isBlank()) {
        args.addAll(List.of("-c", "user.name=beadpool", "-c", "user.email=beadpool@localhost"));
      }
      args.addAll(
          List.of(
              "commit",
              "--quiet",
              "--no-verify",
              "-m",
              beadId + ": " + subject,
              "-m",
              "Bead " + beadId + ", beadpool run " + run + "."));
      git.run(worktree.path(), args.toArray(String[]::new));
    }
    return git.run(worktree.path(), "rev-parse", "HEAD").strip();
  }

  /** Removes the worktree (the branch and its commits stay). */
  public static void remove(Git git, Worktree worktree) throws GitException {
    git.run(worktree.repository(), "worktree", "remove", "--force", worktree.path().toString());
  }
}
