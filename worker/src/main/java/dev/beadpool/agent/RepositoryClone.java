package dev.beadpool.agent;

import dev.beadpool.config.RepositoryConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The worker's own clone of the {@code repository:} remote, and a worktree in it per bead. Layout,
 * under the worker's work directory: {@code .beadpool/clones/<worker id>/repo.git} (a bare
 * repository whose {@code origin} is the remote) and {@code .beadpool/clones/<worker
 * id>/worktrees/<bead id>}. No other worker or process works in it: the worker id is in the path.
 *
 * <p>Each run fetches the integration branch, then makes the bead's worktree on {@code bead/<id>}
 * fresh from the dispatch's base commit (a leftover worktree of the bead goes first, so a new
 * attempt never builds on the old one); after the agent, {@link #push} force-pushes the branch.
 *
 * <p>Threads: the worker's slots share the clone. Every git command on it (fetch, worktree add and
 * remove, commit, push) runs under one lock, in this process and, through a file lock, across
 * processes; agents in different worktrees run at once.
 */
public final class RepositoryClone {
  /** Where clones live, relative to the worker's work directory. */
  public static final String CLONES_DIR = ".beadpool/clones";

  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,64}");
  private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private final RepositoryConfig config;
  private final Path home;
  private final Path repo;
  private final Path worktrees;
  private final Git git;
  private final ReentrantLock lock;

  /** Whether this process made sure of the clone and its origin (guarded by {@link #lock}). */
  private boolean opened;

  /**
   * @param home this worker's clone folder, {@link #homeOf}
   */
  public RepositoryClone(RepositoryConfig config, Path home, Git git) {
    this.config = Objects.requireNonNull(config, "config");
    this.home = home.toAbsolutePath().normalize();
    this.repo = this.home.resolve("repo.git");
    this.worktrees = this.home.resolve("worktrees");
    this.git = Objects.requireNonNull(git, "git");
    this.lock = LOCKS.computeIfAbsent(this.home, h -> new ReentrantLock());
  }

  /** The clone folder of worker {@code workerId} working in {@code workDir}. */
  public static Path homeOf(Path workDir, String workerId) {
    return workDir
        .toAbsolutePath()
        .normalize()
        .resolve(CLONES_DIR)
        .resolve(AgentRunner.safe(workerId));
  }

  /** The bare repository (the worktrees' common git directory). */
  public Path repository() {
    return repo;
  }

  public RepositoryConfig config() {
    return config;
  }

  /**
   * Fetches the integration branch and makes the bead's worktree on {@code bead/<id>} at {@code
   * base}, or at the fetched integration branch when {@code base} is null.
   *
   * @throws RemoteFailure with git's message when the clone, the fetch or the worktree fails, or
   *     the base is not in the remote
   */
  public Worktrees.Worktree checkout(String beadId, String base) throws RemoteFailure {
    return checkout(beadId, base, false);
  }

  /**
   * As {@link #checkout(String, String)}; with {@code continuing} (a later turn of the same
   * attempt, after a handoff) the worktree starts from the bead's branch as the previous turn
   * pushed it: a handoff carries its work over, where a new attempt starts again from its base.
   * (Every turn that ends in a handoff pushed the branch: a handoff is an agent's success, and the
   * first turn of an attempt pushes over whatever an earlier attempt left.)
   */
  public Worktrees.Worktree checkout(String beadId, String base, boolean continuing)
      throws RemoteFailure {
    if (base != null && !COMMIT.matcher(base).matches()) {
      throw new RemoteFailure("the dispatch's base is not a commit id: " + shown(base));
    }
    String branch = Worktrees.branchOf(beadId);
    Path path = worktrees.resolve(AgentRunner.safe(beadId));
    return locked(
        () -> {
          open();
          git.run(
              repo,
              "fetch",
              "--quiet",
              "--prune",
              "origin",
              "+refs/heads/" + config.branch() + ":" + tracking());
          String start = resolve(base);
          if (continuing) {
            start = previousTurn(branch, start);
          }
          removeLeftover(path);
          git.run(
              repo, "worktree", "add", "--quiet", "--force", "-B", branch, path.toString(), start);
          return new Worktrees.Worktree(repo, path, branch, start);
        });
  }

  /**
   * Commits the agent's changes in {@code worktree} and force-pushes its branch to the remote
   * (force: a new attempt rewrites the branch from its new base).
   *
   * @return the pushed commit
   * @throws RemoteFailure with git's message when the commit or the push fails
   */
  public String commitAndPush(Worktrees.Worktree worktree, String beadId, String title, long run)
      throws RemoteFailure {
    return locked(
        () -> {
          String commit = Worktrees.commit(git, worktree, beadId, title, run);
          // why the commit, not the branch: an agent that switched branches in its worktree still
          // has exactly what was committed pushed, and recorded
          git.run(
              worktree.path(),
              "push",
              "--quiet",
              "--force",
              "--no-verify",
              "origin",
              commit + ":refs/heads/" + worktree.branch());
          return commit;
        });
  }

  /** Removes a bead's worktree after its branch was pushed (the local branch stays). */
  public void remove(Worktrees.Worktree worktree) throws RemoteFailure {
    locked(
        () -> {
          Worktrees.remove(git, worktree);
          return null;
        });
  }

  /** The remote-tracking ref of the integration branch. */
  private String tracking() {
    return "refs/remotes/origin/" + config.branch();
  }

  /** Makes the bare clone on first use; points {@code origin} at the configured url each time. */
  private void open() throws GitException, IOException {
    // why: a run's git calls are most of the hand-over time between a blocker and its dependent
    if (opened && Files.isRegularFile(repo.resolve("HEAD"))) {
      return;
    }
    if (!Files.isRegularFile(repo.resolve("HEAD"))) {
      deleteTree(repo);
      Files.createDirectories(home);
      git.run(home, "init", "--bare", "--quiet", repo.toString());
      // why: a background gc would hold the clone's locks while the next run's git waits
      git.run(repo, "config", "gc.autoDetach", "false");
    }
    // why config, not remote add: repeatable, and a changed url in beadpool.yaml takes effect
    git.run(repo, "config", "remote.origin.url", config.url());
    Files.createDirectories(worktrees);
    // why: worktrees whose folders went (a crash, a human's rm) would hold their branches
    git.run(repo, "worktree", "prune");
    opened = true;
  }

  /**
   * The bead's branch as the previous turn pushed it, if it exists and holds {@code start}; else
   * {@code start}.
   */
  private String previousTurn(String branch, String start) throws GitException {
    String remote = "refs/remotes/origin/" + branch;
    // why lenient: a previous turn that changed nothing, or ended without a push, left no branch
    git.lenient(repo, "fetch", "--quiet", "origin", "+refs/heads/" + branch + ":" + remote);
    String pushed = git.lenient(repo, "rev-parse", "--verify", "--quiet", remote + "^{commit}");
    return pushed.isBlank() ? start : pushed.strip();
  }

  private String resolve(String base) throws GitException {
    String wanted = base == null ? tracking() : base;
    String commit = git.lenient(repo, "rev-parse", "--verify", "--quiet", wanted + "^{commit}");
    if (commit.isBlank()) {
      throw new GitException(
          base == null
              ? "the remote "
                  + config.url()
                  + " has no branch "
                  + config.branch()
                  + " (push the project's history to it first)"
              : "the base commit "
                  + base
                  + " is not in "
                  + config.url()
                  + " branch "
                  + config.branch()
                  + " after a fetch");
    }
    return commit.strip();
  }

  /** A worktree an earlier attempt of the bead left (kept for a human, or cut short). */
  private void removeLeftover(Path path) throws GitException, IOException {
    if (Files.exists(path)) {
      if (!git.ok(repo, "worktree", "remove", "--force", "--force", path.toString())) {
        deleteTree(path);
        git.run(repo, "worktree", "prune");
      }
    } else if (Files.exists(repo.resolve("worktrees").resolve(path.getFileName()))) {
      // its folder went but git still counts it, and so holds its branch
      git.run(repo, "worktree", "prune");
    }
  }

  @FunctionalInterface
  private interface GitWork<T> {
    T run() throws GitException, IOException;
  }

  /** Runs {@code work} holding the clone's lock, in this process and across processes. */
  private <T> T locked(GitWork<T> work) throws RemoteFailure {
    lock.lock();
    try {
      Files.createDirectories(home);
      try (FileChannel channel =
              FileChannel.open(
                  home.resolve("clone.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock held = channel.lock()) {
        return work.run();
      }
    } catch (GitException e) {
      throw new RemoteFailure(e.getMessage());
    } catch (IOException e) {
      throw new RemoteFailure("the clone in " + home + " cannot be used: " + e);
    } finally {
      lock.unlock();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static String shown(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return "'" + cut.replace("\n", "\\n") + "'";
  }
}
