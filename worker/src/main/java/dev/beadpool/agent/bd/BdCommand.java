package dev.beadpool.agent.bd;

import java.io.IOException;
import java.util.List;

/** One command of the worker's {@code bd}. */
interface BdCommand {
  /** Its usage lines, as shown by {@code bd help} and {@code bd CMD --help}. */
  String usage();

  /**
   * Runs it.
   *
   * @param args the arguments after the command name
   * @return the exit code: 0, 1 (refused, not found), 2 (usage)
   */
  int run(BdSession session, List<String> args) throws BdException, IOException;
}
