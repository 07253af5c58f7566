package dev.beadpool.cli;

/** A user-facing failure: printed as {@code Error: message}, exit code 1 unless told otherwise. */
class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  CliException(String message) {
    this(message, ExitCodes.FAILED);
  }

  CliException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
