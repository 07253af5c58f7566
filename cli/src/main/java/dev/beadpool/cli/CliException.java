package dev.beadpool.cli;

/** A user-facing failure: printed as {@code Error: message}, exit code 1. */
class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message);
  }
}
