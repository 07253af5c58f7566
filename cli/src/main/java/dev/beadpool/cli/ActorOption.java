package dev.beadpool.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** {@code --actor NAME}: who makes a change, recorded in history and used for claims. */
final class ActorOption {
  @Option(
      names = "--actor",
      paramLabel = "NAME",
      description = "Who is acting (default: $BEADPOOL_ACTOR, $BD_ACTOR, $BEADS_ACTOR, $USER).")
  String actor;

  String resolve() {
    if (actor != null && !actor.isBlank()) {
      return actor;
    }
    for (String env : List.of("BEADPOOL_ACTOR", "BD_ACTOR", "BEADS_ACTOR", "USER")) {
      String value = System.getenv(env);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return "unknown";
  }
}
