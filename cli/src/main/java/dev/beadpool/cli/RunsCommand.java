package dev.beadpool.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.beadpool.bead.Json;
import dev.beadpool.config.BudgetConfig;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunLedger;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "runs",
    description = {
      "Every run of a bead: attempt, turn (handoffs), profile, worker, state (succeeded, handoff,",
      "blocked, failed, expired, released, ...), start, end, exit code, tokens and cost as its",
      "agent reported them, error, log location.",
      "Example: beadpool runs bd-a3f8"
    })
final class RunsCommand extends BaseCommand {
  @Mixin StoreOptions store;

  @Parameters(paramLabel = "ID", description = "The bead.")
  String id;

  @Override
  public Integer call() {
    List<Run> runs;
    try (BeadStore beads = store.openExisting()) {
      beads.get(id);
      runs = new RunLedger(beads).runs(id);
    }
    if (json) {
      ArrayNode array = Json.MAPPER.valueToTree(runs);
      Output.json(out(), array);
      return ExitCodes.OK;
    }
    if (runs.isEmpty()) {
      out().println(id + " has not run yet.");
    } else {
      Output.Table table =
          new Output.Table(
              "RUN",
              "ATTEMPT",
              "TURN",
              "PROFILE",
              "STATE",
              "WORKER",
              "STARTED",
              "ENDED",
              "EXIT",
              "TOKENS",
              "COST",
              "ERROR / LOG");
      for (Run r : runs) {
        table.row(
            r.run(),
            r.attempt(),
            r.turn(),
            r.profile(),
            r.state().name().toLowerCase(java.util.Locale.ROOT),
            r.worker(),
            r.startedAt(),
            r.endedAt(),
            r.exitCode(),
            r.usage().isEmpty() ? null : r.usage().tokens(),
            r.usage().costUsd() == null ? null : BudgetConfig.dollars(r.usage().costUsd()),
            r.error() != null ? r.error() : r.logPath());
      }
      table.print(out());
    }
    out().flush();
    return ExitCodes.OK;
  }
}
