package dev.beadpool.cli;

import dev.beadpool.store.BeadStore;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "close",
    description = {
      "Close beads (status closed, closed_at, close_reason). Refused while a bead has open blockers",
      "or, for an epic, open children, unless --force. Closing a closed bead changes nothing.",
      "Example: beadpool close bd-a3f8 --reason \"Shipped in #42\""
    })
final class CloseCommand extends BaseCommand {
  @Mixin StoreOptions store;
  @Mixin ActorOption actor;

  @Parameters(arity = "1..*", paramLabel = "ID")
  List<String> ids;

  @Option(
      names = {"-r", "--reason"},
      defaultValue = "Closed",
      description = "Why (default: ${DEFAULT-VALUE}).")
  String reason;

  @Option(
      names = {"-f", "--force"},
      description = "Close even if blocked or an epic with open children.")
  boolean force;

  @Override
  public Integer call() {
    String who = actor.resolve();
    java.util.Optional<CoordinatorClient> remote = store.coordinator();
    if (remote.isPresent()) {
      return eachId(
          ids,
          "closing",
          id -> {
            var body =
                dev.beadpool.bead.Json.MAPPER
                    .createObjectNode()
                    .put("id", id)
                    .put("reason", reason)
                    .put("force", force)
                    .put("actor", who);
            return CoordinatorClient.bead(remote.get().post("close", body));
          },
          CloseCommand::line);
    }
    try (BeadStore beads = store.openExisting()) {
      return eachId(ids, "closing", id -> beads.close(id, reason, force, who), CloseCommand::line);
    }
  }

  private static String line(dev.beadpool.bead.Bead bead) {
    return dev.beadpool.bead.BdOutput.closed(bead);
  }
}
