package dev.beadpool.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --reconnect}: how long the live commands look for a coordinator that went away. */
final class ReconnectOption {
  static final Duration DEFAULT = Duration.ofMinutes(2);

  @Option(
      names = "--reconnect",
      paramLabel = "DURATION",
      converter = Durations.class,
      description =
          "If the coordinator goes away (a restart, a crash), look for it again for this long"
              + " before giving up with exit 2 (default 2m; 0: give up at once).")
  Duration reconnect = DEFAULT;
}
