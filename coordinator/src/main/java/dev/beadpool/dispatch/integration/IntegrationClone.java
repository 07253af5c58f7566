package dev.beadpool.dispatch.integration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The integrator's own clone of the repository (in the coordinator's state directory, never shared
 * with a worker or another process): fetch, merge a bead's commit onto the integration branch's
 * head, push the result. Every git command is an argument list; a bead's text reaches git only as
 * one argument (the merge message). One thread uses it.
 */
final class IntegrationClone {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(IntegrationClone.class);

  /** Who the merge commits are by. */
  static final String AUTHOR_NAME = "beadpool";

  static final String AUTHOR_EMAIL = "beadpool@localhost";

  private final Path dir;
  private final String url;
  private final String branch;
  private final IntegrationSettings settings;

  /**
   * Whether the work tree may hold something other than a clean checkout (at start, after a
   * conflict, after verify ran in it): cleaned before the next merge that needs a tree.
   */
  private boolean dirty = true;

  /**
   * Whether git's lock files have been looked for since this process took the clone, or since a git
   * command of its own was killed at its timeout (see {@link #removeStaleLocks}).
   */
  private boolean unlocked;

  IntegrationClone(Path dir, String url, String branch, IntegrationSettings settings) {
    this.dir = dir;
    this.url = url;
    this.branch = branch;
    this.settings = settings;
  }

  Path dir() {
    return dir;
  }

  String branch() {
    return branch;
  }

  /** The remote-tracking ref of the integration branch. */
  String tracking() {
    return "refs/remotes/origin/" + branch;
  }

  /** Makes the clone if there is none yet (an empty repository with the remote). */
  void ensure() throws IOException, GitUnavailableException {
    if (Files.isDirectory(dir.resolve(".git"))) {
      if (!unlocked) {
        removeStaleLocks();
        unlocked = true;
      }
      return;
    }
    unlocked = true;
    Files.createDirectories(dir);
    git("init", "-q");
    git("remote", "add", "origin", url);
    git("config", "user.name", AUTHOR_NAME);
    git("config", "user.email", AUTHOR_EMAIL);
    git("config", "gc.auto", "0");
  }

  /**
   * Fetches the integration branch and, if named, a bead's branch.
   *
   * @throws GitUnavailableException if the remote cannot be reached (git's message in it)
   */
  void fetch(String beadBranch) throws IOException, GitUnavailableException {
    List<String> args = new ArrayList<>(List.of("fetch", "-q", "--no-tags", "origin"));
    args.add("+refs/heads/" + branch + ":" + tracking());
    if (beadBranch != null) {
      args.add("+refs/heads/" + beadBranch + ":refs/remotes/origin/" + beadBranch);
    }
    CommandRun r = run(args);
    if (!r.ok()) {
      throw new GitUnavailableException("git fetch from " + url + " failed: " + r.output().strip());
    }
  }

  /** The integration branch's head as last fetched. */
  String head() throws IOException, GitUnavailableException {
    return git("rev-parse", "--verify", "-q", tracking() + "^{commit}").strip();
  }

  /**
   * Whether {@code commit} is in the integration branch (as last fetched).
   *
   * @return null if there is no such commit here (it was not fetched: not on the remote)
   */
  Boolean contains(String commit) throws IOException, GitUnavailableException {
    CommandRun r = run(List.of("merge-base", "--is-ancestor", commit, tracking()));
    if (r.exitCode() == 0 || r.exitCode() == 1) {
      return r.exitCode() == 0;
    }
    if (!run(List.of("cat-file", "-e", commit + "^{commit}")).ok()) {
      return null;
    }
    throw new GitUnavailableException(
        "git merge-base --is-ancestor " + commit + " failed: " + r.output().strip());
  }

  /**
   * The merge commit that brought {@code commit} into the integration branch: the oldest commit of
   * the branch's first-parent line that descends from it, if that one merged it in (its second
   * parent holds it); otherwise {@code commit} itself, which is on the line already (a bead that
   * changed nothing, or a fast-forward).
   */
  String mergeCommitOf(String commit) throws IOException, GitUnavailableException {
    String line =
        git(
            "rev-list",
            "--first-parent",
            "--ancestry-path",
            "--reverse",
            commit + ".." + tracking());
    String first = line.lines().findFirst().orElse("").strip();
    if (first.isEmpty()) {
      return commit;
    }
    CommandRun second = run(List.of("rev-parse", "--verify", "-q", first + "^2"));
    if (!second.ok()) {
      return commit;
    }
    CommandRun holds = run(List.of("merge-base", "--is-ancestor", commit, second.output().strip()));
    return holds.ok() ? first : commit;
  }

  /**
   * Merges {@code commit} onto the integration branch's head in a clean tree ({@code --no-ff}).
   *
   * @return null if merged (the tree now holds the result, at {@code HEAD}); otherwise what
   *     conflicted, files and hunks, after the merge was aborted
   */
  String merge(String commit, String message) throws IOException, GitUnavailableException {
    if (dirty) {
      clean();
    }
    dirty = true;
    git("checkout", "-q", "--detach", tracking());
    CommandRun r = run(List.of("merge", "-q", "--no-ff", "--no-edit", "-m", message, commit));
    if (r.ok()) {
      return null;
    }
    String files = git("diff", "--name-only", "--diff-filter=U").strip();
    String hunks = run(List.of("diff", "--diff-filter=U")).output();
    run(List.of("merge", "--abort"));
    clean();
    if (files.isEmpty()) {
      throw new GitUnavailableException("git merge failed: " + r.output().strip());
    }
    return "Merge conflict with " + branch + " in:\n" + files + "\n\n" + hunks.strip() + "\n";
  }

  /**
   * Merges {@code commit} onto the integration branch's head without a work tree ({@code git
   * merge-tree}, then {@code commit-tree}): the fast way when nothing needs the merged files.
   *
   * @return the merge commit, or null if the merge conflicts (then {@link #merge} says where)
   */
  String mergeWithoutTree(String commit, String message)
      throws IOException, GitUnavailableException {
    CommandRun tree =
        run(List.of("merge-tree", "--write-tree", "--no-messages", tracking(), commit));
    if (tree.exitCode() == 1) {
      return null;
    }
    if (!tree.ok()) {
      throw new GitUnavailableException("git merge-tree failed: " + tree.output().strip());
    }
    String treeId = tree.output().lines().findFirst().orElse("").strip();
    return git("commit-tree", treeId, "-p", tracking(), "-p", commit, "-m", message).strip();
  }

  /** The merged tree's commit. */
  String mergedHead() throws IOException, GitUnavailableException {
    return git("rev-parse", "HEAD").strip();
  }

  /**
   * Pushes {@code commit} to the integration branch, never forced.
   *
   * @return true if pushed; false if the remote moved meanwhile (fetch and merge again)
   * @throws GitUnavailableException if the remote could not be reached
   */
  boolean push(String commit) throws IOException, GitUnavailableException {
    CommandRun r = run(List.of("push", "--porcelain", "origin", commit + ":refs/heads/" + branch));
    if (r.ok()) {
      // why no update-ref: a push through a remote with a fetch refspec moves the tracking ref
      return true;
    }
    String out = r.output();
    if (out.contains("[rejected]")
        || out.contains("non-fast-forward")
        || out.contains("fetch first")
        || out.contains("stale info")) {
      return false;
    }
    throw new GitUnavailableException("git push to " + url + " failed: " + out.strip());
  }

  /** A clean tree: whatever a killed merge or verify left is gone. */
  void clean() throws IOException {
    if (Files.exists(dir.resolve(".git").resolve("MERGE_HEAD"))) {
      run(List.of("merge", "--abort"));
    }
    run(List.of("reset", "-q", "--hard"));
    run(List.of("clean", "-q", "-fdx"));
    dirty = false;
  }

  /**
   * Removes the lock files a killed git leaves ({@code index.lock}, {@code HEAD.lock}, a ref's
   * {@code .lock}): git never removes them itself, so one left by a git killed with its coordinator
   * (a container stopped, a machine gone: the process tree goes at once) or at its timeout would
   * fail every later merge or fetch ("Unable to create ... index.lock: File exists") for ever. Safe
   * here: the clone is this integrator's alone (the store's lock says one coordinator), its one
   * thread runs one git at a time, and this runs only when no git of its own is running.
   */
  void removeStaleLocks() throws IOException {
    Path git = dir.resolve(".git");
    List<Path> locks = new ArrayList<>();
    try (var top = Files.list(git)) {
      top.filter(f -> f.getFileName().toString().endsWith(".lock") && Files.isRegularFile(f))
          .forEach(locks::add);
    }
    if (Files.isDirectory(git.resolve("refs"))) {
      try (var refs = Files.walk(git.resolve("refs"))) {
        refs.filter(f -> f.getFileName().toString().endsWith(".lock") && Files.isRegularFile(f))
            .forEach(locks::add);
      }
    }
    for (Path lock : locks) {
      Files.deleteIfExists(lock);
      log.warn(
          "removed {}, left by a git that was killed (with its coordinator, or timed out)", lock);
    }
  }

  /** Something ran in the work tree (verify): clean it before the next merge. */
  void touched() {
    dirty = true;
  }

  CommandRun run(List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(args);
    CommandRun r =
        CommandRun.run(
            dir,
            command,
            Map.of("GIT_TERMINAL_PROMPT", "0", "LC_ALL", "C"),
            settings.gitTimeout(),
            settings.maxOutputBytes());
    if (r.timedOut()) {
      unlocked = false; // the killed git may have left its locks: gone before the next step
    }
    return r;
  }

  private String git(String... args) throws IOException, GitUnavailableException {
    CommandRun r = run(List.of(args));
    if (!r.ok()) {
      throw new GitUnavailableException(
          "git " + args[0] + " failed in " + dir + ": " + r.output().strip());
    }
    return r.output();
  }
}
