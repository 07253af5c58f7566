package dev.beadpool.agent;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs git for the worker: an argument list (bead text only ever as one argument), no terminal
 * prompt (a missing credential fails at once instead of waiting for a password nobody types), no
 * standard input, and a timeout after which git and its helpers (ssh, remote helpers) are killed.
 * Output goes to a file rather than a pipe, so a git that hangs cannot also hang the reader.
 *
 * @param timeout how long one git command may take (setting {@code --git-timeout})
 */
public record Git(Duration timeout) {
  /** The default of {@code --git-timeout}, written as users write it. */
  public static final String DEFAULT_TIMEOUT_TEXT = "2m";

  /** Characters of git's output kept (its message on failure); the rest of a long output is cut. */
  static final int MAX_OUTPUT_CHARS = 64_000;

  private static final File NULL_DEVICE =
      new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");

  public Git {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("the git timeout must be positive, was " + timeout);
    }
  }

  /** Runs git in {@code dir} and returns its output. */
  public String run(Path dir, String... args) throws GitException {
    Result r = exec(dir, args);
    if (r.exit != 0) {
      throw new GitException(
          "git " + String.join(" ", args) + " failed in " + dir + ": " + r.output.strip());
    }
    return r.output;
  }

  /** Whether git exits 0. */
  public boolean ok(Path dir, String... args) {
    try {
      return exec(dir, args).exit == 0;
    } catch (GitException e) {
      return false;
    }
  }

  /** git's output, or "" if it exits non-zero. */
  public String lenient(Path dir, String... args) throws GitException {
    Result r = exec(dir, args);
    return r.exit == 0 ? r.output : "";
  }

  private record Result(int exit, String output) {}

  private Result exec(Path dir, String[] args) throws GitException {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    Path out = null;
    try {
      out = Files.createTempFile("beadpool-git-", ".out");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(NULL_DEVICE));
      quiet(builder.environment());
      Process p = builder.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new GitException(
            "git "
                + String.join(" ", args)
                + " did not end within "
                + timeout.toSeconds()
                + "s (--git-timeout) in "
                + dir
                + ": "
                + read(out).strip());
      }
      return new Result(p.exitValue(), read(out));
    } catch (IOException e) {
      throw new GitException("git cannot run in " + dir + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GitException("interrupted while git " + args[0] + " ran in " + dir);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // a temp file left behind; nothing to do about it here
        }
      }
    }
  }

  /** git never asks on a terminal: a missing credential is an error, not a wait. */
  private static void quiet(Map<String, String> env) {
    env.put("GIT_TERMINAL_PROMPT", "0");
    // why: ssh asks for passwords and host keys on /dev/tty, which GIT_TERMINAL_PROMPT does not
    // cover; the user's own GIT_SSH_COMMAND or GIT_SSH wins
    if (!env.containsKey("GIT_SSH_COMMAND") && !env.containsKey("GIT_SSH")) {
      env.put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    }
    env.remove("GIT_DIR");
    env.remove("GIT_WORK_TREE");
    env.remove("GIT_INDEX_FILE");
  }

  /** The file's text, its last {@link #MAX_OUTPUT_CHARS} bytes if it is longer. */
  private static String read(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long length = f.length();
      long from = Math.max(0, length - MAX_OUTPUT_CHARS);
      f.seek(from);
      byte[] bytes = new byte[(int) (length - from)];
      f.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
