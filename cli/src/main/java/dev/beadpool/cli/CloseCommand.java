package dev.beadpool.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.StoreException;
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
    ArrayNode closed = Json.MAPPER.createArrayNode();
    int failed = 0;
    try (BeadStore beads = store.openExisting()) {
      for (String id : ids) {
        try {
          Bead bead = beads.close(id, reason, force, actor.resolve());
          closed.add(issue(bead));
          if (!json) {
            out().printf("✓ Closed %s: %s%n", id, bead.text("close_reason"));
          }
        } catch (StoreException e) {
          err().println("Error closing " + id + ": " + e.getMessage());
          failed++;
        }
      }
    }
    if (json && !closed.isEmpty()) {
      Output.json(out(), closed);
    }
    out().flush();
    err().flush();
    return failed > 0 ? ExitCodes.FAILED : ExitCodes.OK;
  }
}
