package dev.beadpool.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import dev.beadpool.graph.BeadState;
import dev.beadpool.graph.ReadyEngine;
import dev.beadpool.jsonl.ExportShape;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "blocked",
    description = {
      "Show blocked beads and what blocks them, exactly as `bd blocked`.",
      "Example: beadpool blocked --json"
    })
final class BlockedCommand extends BaseCommand {
  @Mixin SourceOptions source;

  @Override
  public Integer call() throws Exception {
    try (BeadSource beads = source.open(err())) {
      ReadyEngine engine = beads.engine();
      List<Bead> blocked = beads.beads(engine.blocked().stream().map(BeadState::id).toList());
      if (json) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Bead bead : blocked) {
          ObjectNode item = ExportShape.listItem(bead, beads.dependentCount(bead.id()));
          List<String> by = engine.blockedBy(bead.id());
          item.put("blocked_by_count", by.size());
          ArrayNode byArray = item.putArray("blocked_by");
          by.forEach(byArray::add);
          array.add(item);
        }
        Output.json(out(), array);
      } else if (blocked.isEmpty()) {
        out().println("No blocked beads.");
      } else {
        out().printf("Blocked beads (%d):%n%n", blocked.size());
        Output.Table table = new Output.Table("ID", "PRI", "STATUS", "BLOCKED BY", "TITLE");
        blocked.forEach(
            b ->
                table.row(
                    b.id(),
                    priority(b),
                    b.status(),
                    String.join(", ", engine.blockedBy(b.id())),
                    b.title()));
        table.print(out());
      }
      return beads.invalidLines() > 0 ? ExitCodes.FAILED : ExitCodes.OK;
    }
  }
}
