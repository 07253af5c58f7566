package dev.beadpool.cli;

/** The command line itself is wrong: printed with a hint to --help, exit code 2. */
final class CliUsageException extends CliException {
  private static final long serialVersionUID = 1L;

  CliUsageException(String message) {
    super(message, ExitCodes.USAGE);
  }
}
