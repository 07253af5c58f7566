package dev.beadpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadDetails;
import dev.beadpool.bead.Json;
import dev.beadpool.config.BudgetConfig;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "show",
    description = {
      "Show beads in full: fields, labels, what they depend on, what depends on them, comments.",
      "Example: beadpool show bd-a3f8 --json"
    })
final class ShowCommand extends BaseCommand {
  @Mixin SourceOptions source;

  @Parameters(arity = "1..*", paramLabel = "ID", description = "Bead ids.")
  List<String> ids;

  @Override
  public Integer call() throws Exception {
    int missing = 0;
    try (BeadSource beads = source.open(err())) {
      ArrayNode details = Json.MAPPER.createArrayNode();
      for (String id : ids) {
        Optional<Bead> bead = beads.find(id);
        if (bead.isEmpty()) {
          err().println("Error: no issue found matching " + id);
          missing++;
          continue;
        }
        if (json) {
          details.add(BeadDetails.details(beads, bead.get()));
        } else {
          BeadDetails.print(out(), beads, bead.get());
          printSpend(bead.get());
          printCode(bead.get());
        }
      }
      if (json) {
        Output.json(out(), details);
      }
    }
    out().flush();
    err().flush();
    return missing > 0 ? ExitCodes.FAILED : ExitCodes.OK;
  }

  /** The bead's total spend, kept in its metadata by the coordinator with each result. */
  private void printSpend(Bead bead) {
    JsonNode usage = bead.metadata().path("usage");
    if (!usage.isObject()) {
      return;
    }
    JsonNode cost = usage.path("cost_usd");
    out()
        .printf(
            "%nSpent: %s, %d input and %d output tokens (beadpool costs for more)%n",
            BudgetConfig.dollars(cost.isNumber() ? cost.decimalValue() : null),
            usage.path("input_tokens").asLong(),
            usage.path("output_tokens").asLong());
  }

  /** Where the bead's code is (its worktree metadata): pushed, merged, sent back, a PR. */
  private void printCode(Bead bead) {
    com.fasterxml.jackson.databind.JsonNode wt = bead.metadata().path("worktree");
    if (!wt.isObject() || !wt.hasNonNull("phase")) {
      return;
    }
    StringBuilder line = new StringBuilder("\nCODE: ").append(wt.path("phase").asText());
    for (String key : List.of("branch", "commit", "merge_commit", "pr_url")) {
      if (wt.hasNonNull(key)) {
        line.append(", ").append(key.replace('_', ' ')).append(' ').append(wt.path(key).asText());
      }
    }
    out().println(dev.beadpool.bead.TerminalText.safe(line.toString()));
  }
}
