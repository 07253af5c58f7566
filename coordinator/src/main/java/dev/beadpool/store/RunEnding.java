package dev.beadpool.store;

import dev.beadpool.protocol.RunResult;

/**
 * How a run ended, as its row records it.
 *
 * @param state the state the run ends in
 * @param exitCode the agent's exit code, if it ran
 * @param error why it ended, if not done
 * @param tail the end of the agent's output
 * @param log where the agent's log is
 */
record RunEnding(RunState state, Integer exitCode, String error, String tail, String log) {
  /** A run that ended without a result (cancelled, released, expired, dead-lettered). */
  static RunEnding because(RunState state, String why) {
    return new RunEnding(state, null, why, null, null);
  }

  /** A run that ended with a worker's result; {@code error} may differ from the result's. */
  static RunEnding of(RunState state, RunResult result, String error) {
    return new RunEnding(state, result.exitCode(), error, result.outputTail(), result.logPath());
  }
}
