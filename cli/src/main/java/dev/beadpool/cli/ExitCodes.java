package dev.beadpool.cli;

/** The exit codes of every command. */
final class ExitCodes {
  static final int OK = 0;

  /** Not found, refused by bd's rules, bad input lines, problems found by doctor. */
  static final int FAILED = 1;

  /**
   * The command line was wrong; for the live commands ({@code watch}, {@code wait}, {@code ps},
   * {@code logs --follow}) also: no coordinator running, or no such bead to watch.
   */
  static final int USAGE = 2;

  /** {@code beadpool wait --timeout} ran out before the beads ended. */
  static final int TIMEOUT = 3;

  private ExitCodes() {}
}
