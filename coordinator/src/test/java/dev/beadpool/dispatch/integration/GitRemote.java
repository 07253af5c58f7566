package dev.beadpool.dispatch.integration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bare repository on disk as the remote, with {@code main} holding one commit, and a worker's
 * side of the flow done by hand: a clone of its own, a branch {@code bead/<id>} from a base, a
 * change, a commit and a push, as a worker does it.
 */
final class GitRemote {
  final Path bare;
  private final Path root;
  private int clones;

  GitRemote(Path root) throws IOException {
    this.root = root;
    this.bare = root.resolve("remote.git");
    Files.createDirectories(bare);
    git(bare, "init", "-q", "--bare", "-b", "main");
    Path seed = clone("seed");
    Files.writeString(seed.resolve("README"), "one\ntwo\nthree\n");
    git(seed, "add", "-A");
    git(seed, "commit", "-q", "-m", "seed");
    git(seed, "push", "-q", "origin", "HEAD:refs/heads/main");
  }

  String url() {
    return bare.toString();
  }

  /** The head of {@code main} on the remote. */
  String head() throws IOException {
    return git(bare, "rev-parse", "main").strip();
  }

  /** Whether {@code commit} is in the remote's {@code main}. */
  boolean inMain(String commit) throws IOException {
    return run(bare, List.of("git", "merge-base", "--is-ancestor", commit, "main")) == 0;
  }

  /** The merge commits on {@code main} whose message carries the bead's trailer. */
  List<String> mergesOf(String beadId) throws IOException {
    String out =
        git(bare, "log", "--merges", "--format=%H", "--grep=^Bead: " + beadId + "$", "main");
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  /** A file's text on the remote's {@code main}. */
  String fileInMain(String file) throws IOException {
    return git(bare, "show", "main:" + file);
  }

  /**
   * What a worker does after its agent's success: a fresh clone, {@code bead/<id>} from {@code
   * base} ({@code main} if null), {@code file} written, committed and pushed.
   *
   * @return the pushed commit
   */
  String workerPushes(String beadId, String base, String file, String text) throws IOException {
    Path wt = clone("worker-" + (++clones));
    git(wt, "checkout", "-q", "-b", "bead/" + beadId, base == null ? "origin/main" : base);
    Files.writeString(wt.resolve(file), text);
    git(wt, "add", "-A");
    git(wt, "commit", "-q", "-m", "work of " + beadId);
    git(wt, "push", "-q", "-f", "origin", "HEAD:refs/heads/bead/" + beadId);
    return git(wt, "rev-parse", "HEAD").strip();
  }

  /** A human merges a bead's branch into {@code main} outside beadpool (a pull request merged). */
  void humanMerges(String beadId) throws IOException {
    Path wt = clone("human-" + (++clones));
    git(wt, "fetch", "-q", "origin", "bead/" + beadId);
    git(wt, "merge", "-q", "--no-ff", "-m", "Merge pull request", "FETCH_HEAD");
    git(wt, "push", "-q", "origin", "HEAD:refs/heads/main");
  }

  private Path clone(String name) throws IOException {
    Path dir = root.resolve(name);
    git(root, "clone", "-q", bare.toString(), dir.toString());
    git(dir, "config", "user.name", "test");
    git(dir, "config", "user.email", "test@localhost");
    return dir;
  }

  static String git(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return out;
  }

  private static int run(Path dir, List<String> command) throws IOException {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      p.getInputStream().readAllBytes();
      return p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
