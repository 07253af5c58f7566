package dev.beadpool.agent;

import java.nio.file.Path;

/**
 * How one agent process ended.
 *
 * @param exitCode null if it never started or was killed for its timeout
 * @param startError why the command could not start (an infrastructure failure), or null
 */
public record AgentRun(
    Integer exitCode, boolean timedOut, String startError, String outputTail, Path log) {
  public boolean started() {
    return startError == null;
  }

  public boolean succeeded() {
    return started() && !timedOut && exitCode != null && exitCode == 0;
  }
}
