package dev.beadpool.dispatch.integration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One child process of the integrator (git, verify, the pull-request command): an argument list,
 * never a shell line, in a directory, with a timeout and its output (stdout and stderr together)
 * bounded to its last bytes.
 *
 * @param exitCode the exit code; -1 if it timed out (and was killed)
 */
record CommandRun(int exitCode, String output) {

  boolean ok() {
    return exitCode == 0;
  }

  boolean timedOut() {
    return exitCode == -1;
  }

  static CommandRun run(
      Path dir, List<String> command, Map<String, String> env, Duration timeout, int maxBytes)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    Tail tail = new Tail(p.getInputStream(), maxBytes);
    Thread reader = new Thread(tail, "integration-output");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        reader.join(1000);
        return new CommandRun(
            -1, tail.text() + "\n[stopped after " + timeout.toSeconds() + " s: timed out]");
      }
      reader.join(timeout.toMillis());
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    }
    return new CommandRun(p.exitValue(), tail.text());
  }

  /** Keeps the last {@code max} bytes of a stream, read to its end. */
  private static final class Tail implements Runnable {
    private final InputStream in;
    private final byte[] ring;
    private long total;

    Tail(InputStream in, int max) {
      this.in = in;
      this.ring = new byte[max];
    }

    @Override
    public void run() {
      byte[] buf = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buf)) > 0) {
          synchronized (this) {
            for (int i = 0; i < n; i++) {
              ring[(int) (total++ % ring.length)] = buf[i];
            }
          }
        }
      } catch (IOException e) {
        // the process ended or was killed: what was read is kept
      }
    }

    synchronized String text() {
      if (total <= ring.length) {
        return new String(ring, 0, (int) total, StandardCharsets.UTF_8);
      }
      int start = (int) (total % ring.length);
      byte[] out = new byte[ring.length];
      System.arraycopy(ring, start, out, 0, ring.length - start);
      System.arraycopy(ring, 0, out, ring.length - start, start);
      return "[... "
          + (total - ring.length)
          + " bytes cut]\n"
          + new String(out, StandardCharsets.UTF_8);
    }
  }
}
