package dev.beadpool.cli;

/** The exit codes of every command. */
final class ExitCodes {
  static final int OK = 0;

  /** Not found, refused by bd's rules, bad input lines, problems found by doctor. */
  static final int FAILED = 1;

  /** The command line was wrong. */
  static final int USAGE = 2;

  private ExitCodes() {}
}
