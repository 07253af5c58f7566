package dev.beadpool.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Json;
import dev.beadpool.messaging.BrokerSettings;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs an agent as a child process, never through a shell: the command is an argument list from the
 * configuration; bead text reaches the agent only through environment variables and a JSON file
 * ({@code BEAD_JSON}), never spliced into a command line. Output goes to {@code
 * logs/run/<timestamp>_<bead-id>/output.log}; on timeout the whole process tree is killed.
 */
public final class AgentRunner {
  /** Characters of output kept for the result. */
  public static final int TAIL_CHARS = 4_000;

  private static final DateTimeFormatter RUN_DIR_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final List<String> command;
  private final Path workDir;
  private final Path logRoot;
  private final Clock clock;

  public AgentRunner(List<String> command, Path workDir, Path logRoot, Clock clock) {
    if (command == null || command.isEmpty() || command.get(0).isBlank()) {
      throw new IllegalArgumentException(
          "agent.command must name a program, as a list of arguments");
    }
    this.command = List.copyOf(command);
    this.workDir = Objects.requireNonNull(workDir, "workDir");
    this.logRoot = Objects.requireNonNull(logRoot, "logRoot");
    this.clock = clock;
  }

  /** What the agent learns about its run, besides the bead. */
  public record Context(String beadId, long run, int attempt, String worker) {}

  /**
   * Runs the agent for one bead and waits for it, at most {@code timeout}.
   *
   * @param started told the process once it runs, so a shutdown can stop it
   */
  public AgentRun run(ObjectNode bead, Context context, Duration timeout, Consumer<Process> started)
      throws IOException {
    Path runDir =
        logRoot.resolve(
            RUN_DIR_TIME.format(clock.instant())
                + "_"
                + safe(context.beadId())
                + "_r"
                + context.run());
    Files.createDirectories(runDir);
    Path beadJson = runDir.resolve("bead.json");
    Files.writeString(beadJson, Json.compact(bead), StandardCharsets.UTF_8);
    Path log = runDir.resolve("output.log");

    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    Map<String, String> env = builder.environment();
    // why: the agent runs text written by agents and humans; it must not hold the broker's password
    env.remove(BrokerSettings.PASSWORD_ENV);
    env.put("BEAD_ID", context.beadId());
    env.put("BEAD_TITLE", bead.path("title").asText(""));
    env.put("BEAD_PRIORITY", bead.path("priority").asText("2"));
    env.put("BEAD_JSON", beadJson.toAbsolutePath().toString());
    env.put("BEADPOOL_ATTEMPT", Integer.toString(context.attempt()));
    env.put("BEADPOOL_RUN", Long.toString(context.run()));
    env.put("BEADPOOL_WORKER", context.worker());
    env.put("BEADPOOL_LOG_DIR", runDir.toAbsolutePath().toString());

    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      String why = "agent command " + command.get(0) + " cannot start: " + e.getMessage();
      Files.writeString(log, why + "\n", StandardCharsets.UTF_8);
      return new AgentRun(null, false, why, why, log);
    }
    started.accept(process);
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      return new AgentRun(null, false, null, tail(log), log);
    }
    if (!finished) {
      killTree(process);
      return new AgentRun(null, true, null, tail(log), log);
    }
    return new AgentRun(process.exitValue(), false, null, tail(log), log);
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

  /** A bead id as a file-name part: bead ids are untrusted text. */
  static String safe(String id) {
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
