package dev.beadpool.agent;

import dev.beadpool.messaging.BrokerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Runs an agent as a child process, never through a shell: the command is an argument list; bead
 * text reaches the agent only through its environment, files and stdin, never spliced into a
 * command line. Output (stdout and stderr) is copied to {@code output.log} in the run's folder and
 * handed on line by line as it comes; on timeout the whole process tree is killed.
 */
public final class AgentRunner {
  /** Characters of output kept for the result. */
  public static final int TAIL_CHARS = 4_000;

  private static final DateTimeFormatter RUN_DIR_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** How long output may keep coming after the agent exited (its children may hold the pipe). */
  private static final long DRAIN_MILLIS = 2_000;

  private final Path logRoot;
  private final Clock clock;

  public AgentRunner(Path logRoot, Clock clock) {
    this.logRoot = Objects.requireNonNull(logRoot, "logRoot");
    this.clock = clock;
  }

  /**
   * What to start.
   *
   * @param environment the agent's whole environment
   * @param stdin a file for the agent's standard input, or null for none
   * @param failurePatterns an output line matching any of these marks the run failed
   * @param onLines told each batch of complete output lines as the agent writes them
   */
  public record Launch(
      List<String> command,
      Path workDir,
      Map<String, String> environment,
      Path stdin,
      Duration timeout,
      List<Pattern> failurePatterns,
      Consumer<List<String>> onLines) {
    public Launch {
      if (command == null || command.isEmpty() || command.get(0).isBlank()) {
        throw new IllegalArgumentException(
            "agent.command must name a program, as a list of arguments");
      }
      command = List.copyOf(command);
      failurePatterns = failurePatterns == null ? List.of() : List.copyOf(failurePatterns);
      onLines = onLines == null ? lines -> {} : onLines;
    }
  }

  /** Creates the folder of a run: {@code <log root>/<timestamp>_<bead>_r<run>}. */
  public Path newRunDir(String beadId, long run) throws IOException {
    Path dir =
        logRoot.resolve(RUN_DIR_TIME.format(clock.instant()) + "_" + safe(beadId) + "_r" + run);
    Files.createDirectories(dir);
    return dir;
  }

  /**
   * The worker's environment as an agent may see it: all of it, or only {@code allowed} (plus the
   * variables a process needs to run), never the broker password.
   */
  public static Map<String, String> inheritedEnvironment(
      Collection<String> allowed, Collection<String> base) {
    Map<String, String> env = new HashMap<>();
    System.getenv()
        .forEach(
            (k, v) -> {
              if (allowed == null || allowed.contains(k) || base.contains(k)) {
                env.put(k, v);
              }
            });
    // why: the agent runs text written by agents and humans; it must not hold the broker's password
    env.remove(BrokerSettings.PASSWORD_ENV);
    return env;
  }

  /**
   * Runs the agent and waits for it, at most the launch's timeout.
   *
   * @param started told the process once it runs, so a shutdown can stop it
   */
  public AgentRun run(Path runDir, Launch launch, Consumer<Process> started) throws IOException {
    Path log = runDir.resolve("output.log");
    ProcessBuilder builder =
        new ProcessBuilder(launch.command()).directory(launch.workDir().toFile());
    builder.redirectErrorStream(true);
    builder.redirectInput(
        launch.stdin() == null
            ? ProcessBuilder.Redirect.from(nullDevice())
            : ProcessBuilder.Redirect.from(launch.stdin().toFile()));
    builder.environment().clear();
    builder.environment().putAll(launch.environment());
    // why: a stray password must not come back in through the profile's env either
    builder.environment().remove(BrokerSettings.PASSWORD_ENV);

    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      String why = "agent command " + launch.command().get(0) + " cannot start: " + e.getMessage();
      Files.writeString(
          log,
          why + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      return new AgentRun(null, false, why, why, log);
    }
    started.accept(process);
    OutputPump pump = new OutputPump(process.getInputStream(), log, launch);
    Thread reader = new Thread(pump, "agent-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    boolean finished;
    try {
      finished = process.waitFor(launch.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      return new AgentRun(null, false, null, tail(log), log, pump.failureLine);
    }
    if (!finished) {
      killTree(process);
    }
    join(reader, DRAIN_MILLIS);
    if (!finished) {
      return new AgentRun(null, true, null, tail(log), log, pump.failureLine);
    }
    return new AgentRun(process.exitValue(), false, null, tail(log), log, pump.failureLine);
  }

  /** Copies the agent's output to its log and hands on complete lines as they come. */
  private static final class OutputPump implements Runnable {
    private final InputStream in;
    private final Path log;
    private final Launch launch;
    private final StringBuilder partial = new StringBuilder();
    volatile String failureLine;

    OutputPump(InputStream in, Path log, Launch launch) {
      this.in = in;
      this.log = log;
      this.launch = launch;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[8192];
      java.nio.charset.CharsetDecoder decoder =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
              .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE);
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16384);
      java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(16384);
      try (OutputStream out =
              Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          InputStream input = in) {
        int n;
        while ((n = input.read(buffer)) > 0) {
          out.write(buffer, 0, n);
          out.flush();
          bytes.put(buffer, 0, n);
          bytes.flip();
          decoder.decode(bytes, chars, false);
          bytes.compact();
          chars.flip();
          partial.append(chars);
          chars.clear();
          emitCompleteLines();
        }
      } catch (IOException e) {
        // the process went away; what was read is in the log
      }
      if (!partial.isEmpty()) {
        partial.append('\n');
        emitCompleteLines();
      }
    }

    private void emitCompleteLines() {
      List<String> lines = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < partial.length(); i++) {
        if (partial.charAt(i) == '\n') {
          String line = partial.substring(start, i);
          lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
          start = i + 1;
        }
      }
      partial.delete(0, start);
      if (lines.isEmpty()) {
        return;
      }
      if (failureLine == null) {
        for (String line : lines) {
          if (launch.failurePatterns().stream().anyMatch(p -> p.matcher(line).find())) {
            failureLine = line;
            break;
          }
        }
      }
      try {
        launch.onLines().accept(lines);
      } catch (RuntimeException e) {
        // why: a watcher's trouble must never stop the agent's output from reaching its log
      }
    }
  }

  /** Kills a process and everything it started. */
  public static void killTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void join(Thread t, long millis) {
    try {
      t.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A bead id as a file-name part: bead ids are untrusted text. */
  public static String safe(String id) {
    String s = id.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.length() > 80 ? s.substring(0, 80) : s;
  }

  static String tail(Path log) {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      long from = Math.max(0, length - TAIL_CHARS);
      byte[] bytes = new byte[(int) (length - from)];
      file.seek(from);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output not readable: " + e.getMessage() + ")";
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
