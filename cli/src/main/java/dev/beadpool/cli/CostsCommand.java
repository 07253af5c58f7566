package dev.beadpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.bead.Json;
import dev.beadpool.config.BudgetConfig;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.CostReport;
import dev.beadpool.store.RunLedger;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "costs",
    description = {
      "What the agents spent, as they reported it: runs, input and output tokens and dollars",
      "per bead, epic (a bead's spend counts toward every ancestor), profile or UTC day, and the",
      "pool's total. Figures are exact as reported, never rounded. Asks the running coordinator",
      "if there is one, else reads the store.",
      "Example: beadpool costs --by epic"
    })
final class CostsCommand extends BaseCommand {
  @Mixin StoreOptions store;

  @Option(
      names = "--by",
      paramLabel = "GROUP",
      defaultValue = "bead",
      description = "bead, epic, profile or day (default ${DEFAULT-VALUE}).")
  String by;

  @Override
  public Integer call() {
    CostReport.By grouping;
    try {
      grouping = CostReport.By.parse(by);
    } catch (IllegalArgumentException e) {
      throw new CliUsageException(e.getMessage());
    }
    JsonNode report = report(grouping);
    if (json) {
      Output.json(out(), report);
      return ExitCodes.OK;
    }
    boolean titled = grouping == CostReport.By.BEAD || grouping == CostReport.By.EPIC;
    if (report.path("lines").isEmpty()) {
      out()
          .println(
              "no usage reported yet (agents report it through BEADPOOL_USAGE or their"
                  + " profile's usage parsing; see docs/costs.md)");
      out().flush();
      return ExitCodes.OK;
    }
    Output.Table table =
        titled
            ? new Output.Table(
                grouping.name(), "TITLE", "RUNS", "INPUT TOKENS", "OUTPUT TOKENS", "COST")
            : new Output.Table(grouping.name(), "RUNS", "INPUT TOKENS", "OUTPUT TOKENS", "COST");
    for (JsonNode line : report.path("lines")) {
      java.util.List<Object> cells = new java.util.ArrayList<>();
      cells.add(line.path("key").asText());
      if (titled) {
        cells.add(line.path("title").asText(""));
      }
      JsonNode spend = line.path("spend");
      cells.add(spend.path("runs").asLong());
      cells.add(spend.path("inputTokens").asLong());
      cells.add(spend.path("outputTokens").asLong());
      cells.add(dollars(spend.path("costUsd")));
      table.row(cells.toArray());
    }
    table.print(out());
    JsonNode total = report.path("total");
    out()
        .printf(
            Locale.ROOT,
            "%ntotal: %s over %d run(s), %d input and %d output tokens%n",
            dollars(total.path("costUsd")),
            total.path("runs").asLong(),
            total.path("inputTokens").asLong(),
            total.path("outputTokens").asLong());
    out().flush();
    return ExitCodes.OK;
  }

  /** Through the coordinator if one runs (or --server names one), else from the store. */
  private JsonNode report(CostReport.By grouping) {
    Optional<CoordinatorClient> coordinator = store.coordinator();
    if (coordinator.isPresent()) {
      return coordinator.get().get("costs?by=" + grouping);
    }
    try (BeadStore beads = store.openExisting()) {
      return Json.MAPPER.valueToTree(new RunLedger(beads).costs(grouping));
    }
  }

  private static String dollars(JsonNode cost) {
    return BudgetConfig.dollars(cost.isNumber() ? cost.decimalValue() : BigDecimal.ZERO);
  }
}
