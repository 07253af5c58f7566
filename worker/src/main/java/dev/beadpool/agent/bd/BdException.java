package dev.beadpool.agent.bd;

/**
 * A {@code bd} command the worker's bd will not carry out: printed as one line on stderr, never a
 * stack trace. Usage mistakes exit 2, refused or bad values exit 1, as beadpool's CLI.
 */
final class BdException extends Exception {
  private static final long serialVersionUID = 1L;

  static final int FAILED = 1;
  static final int USAGE = 2;

  private final int exitCode;
  private final String hint;

  private BdException(String message, int exitCode, String hint) {
    super(message);
    this.exitCode = exitCode;
    this.hint = hint;
  }

  /** The command line is wrong: unknown flag or command, missing argument. */
  static BdException usage(String message) {
    return new BdException(message, USAGE, null);
  }

  /** A value is wrong or bd's rules refuse the change: unknown id, cycle, bad priority. */
  static BdException refused(String message) {
    return new BdException(message, FAILED, null);
  }

  /** An id this bd does not know; the hint says which beads it can see. */
  static BdException notFound(String message, String hint) {
    return new BdException(message, FAILED, hint);
  }

  /** A second line for the user, or null. */
  String hint() {
    return hint;
  }

  int exitCode() {
    return exitCode;
  }
}
