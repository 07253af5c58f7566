package dev.beadpool.dispatch.integration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code repository.verify}: the team's check, run on the merged tree before it is pushed, so the
 * integration branch never holds a commit that failed it. An argument list, never a shell line.
 */
final class Verify {
  private final List<String> command;
  private final IntegrationSettings settings;

  Verify(List<String> command, IntegrationSettings settings) {
    this.command = List.copyOf(command);
    this.settings = settings;
  }

  boolean isSet() {
    return !command.isEmpty();
  }

  /**
   * Runs the check in {@code tree}.
   *
   * @return null if it passed; otherwise what to tell the agent (the command, its exit, its output)
   */
  String run(Path tree) throws IOException {
    if (!isSet()) {
      return null;
    }
    CommandRun r =
        CommandRun.run(
            tree, command, Map.of(), settings.verifyTimeout(), settings.maxOutputBytes());
    if (r.ok()) {
      return null;
    }
    return "verify ("
        + String.join(" ", command)
        + ") failed on the merged tree with "
        + (r.timedOut() ? "a timeout" : "exit " + r.exitCode())
        + ":\n"
        + r.output().strip()
        + "\n";
  }
}
