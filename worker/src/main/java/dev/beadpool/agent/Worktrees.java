package dev.beadpool.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A git worktree per bead on branch {@code bead/<id>} (the parallel-orchestrator convention):
 * agents working on several beads of one repository at once do not see each other's changes. Every
 * git command is an argument list; bead text only ever reaches git as a single argument.
 */
public final class Worktrees {
  private static final long GIT_TIMEOUT_SECONDS = 120;

  private Worktrees() {}

  /** A worktree made for a bead. */
  public record Worktree(Path repository, Path path, String branch) {}

  /** A git command that failed. */
  public static final class GitException extends Exception {
    private static final long serialVersionUID = 1L;

    public GitException(String message) {
      super(message);
    }
  }

  /**
   * Creates (or reuses, after a failed attempt kept it) the worktree of a bead in {@code
   * <repository>/<worktrees>/<id>}, on branch {@code bead/<id>}.
   */
  public static Worktree create(Path workDir, String worktrees, String beadId) throws GitException {
    Path top = Path.of(git(workDir, "rev-parse", "--show-toplevel").strip());
    String name = AgentRunner.safe(beadId);
    String branch = "bead/" + name;
    Path path = top.resolve(worktrees).resolve(name).normalize();
    if (!path.startsWith(top)) {
      throw new GitException("workspace.worktrees must lie inside the repository: " + worktrees);
    }
    if (Files.isDirectory(path.resolve(".git")) || Files.isRegularFile(path.resolve(".git"))) {
      return new Worktree(top, path, branch);
    }
    boolean branchExists = gitOk(top, "rev-parse", "--verify", "--quiet", "refs/heads/" + branch);
    if (branchExists) {
      git(top, "worktree", "add", path.toString(), branch);
    } else {
      git(top, "worktree", "add", "-b", branch, path.toString(), "HEAD");
    }
    return new Worktree(top, path, branch);
  }

  /**
   * Commits everything the agent changed in the worktree, with the bead id in the message.
   *
   * @return the branch's commit afterwards (the base commit if there was nothing to commit)
   */
  public static String commit(Worktree worktree, String beadId, String title, long run)
      throws GitException {
    git(worktree.path(), "add", "-A");
    if (!git(worktree.path(), "status", "--porcelain").isBlank()) {
      String subject = title.lines().findFirst().orElse("").strip();
      if (subject.length() > 72) {
        subject = subject.substring(0, 71) + "…";
      }
      List<String> args = new ArrayList<>();
      if (git(worktree.path(), new String[] {"config", "--get", "user.email"}, true).isBlank()) {
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
      git(worktree.path(), args.toArray(String[]::new));
    }
    return git(worktree.path(), "rev-parse", "HEAD").strip();
  }

  /** Removes the worktree (the branch and its commits stay). */
  public static void remove(Worktree worktree) throws GitException {
    git(worktree.repository(), "worktree", "remove", "--force", worktree.path().toString());
  }

  private static boolean gitOk(Path dir, String... args) {
    try {
      git(dir, args);
      return true;
    } catch (GitException e) {
      return false;
    }
  }

  private static String git(Path dir, String... args) throws GitException {
    return git(dir, args, false);
  }

  private static String git(Path dir, String[] args, boolean lenient) throws GitException {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new GitException("git " + args[0] + " timed out in " + dir);
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0 && !lenient) {
        throw new GitException(
            "git " + String.join(" ", args) + " failed in " + dir + ": " + text.strip());
      }
      return p.exitValue() == 0 ? text : "";
    } catch (IOException e) {
      throw new GitException("git cannot run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GitException("interrupted");
    }
  }
}
