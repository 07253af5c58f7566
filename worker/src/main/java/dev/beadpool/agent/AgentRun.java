package dev.beadpool.agent;

import java.nio.file.Path;

/**
 * How one agent process ended.
 *
 * @param exitCode null if it never started or was killed for its timeout
 * @param startError why the command could not start (an infrastructure failure), or null
 * @param failureLine the first output line that matched one of the profile's failure patterns
 */
public record AgentRun(
    Integer exitCode,
    boolean timedOut,
    String startError,
    String outputTail,
    Path log,
    String failureLine) {

  public AgentRun(
      Integer exitCode, boolean timedOut, String startError, String outputTail, Path log) {
    this(exitCode, timedOut, startError, outputTail, log, null);
  }

  public boolean started() {
    return startError == null;
  }

  /** Exited 0 in time, and no output line matched a failure pattern. */
  public boolean succeeded() {
    return started() && !timedOut && exitCode != null && exitCode == 0 && failureLine == null;
  }
}
