package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.api.CoordinatorApi;
import dev.beadpool.bead.Bead;
import dev.beadpool.cli.Cli;
import dev.beadpool.config.BudgetConfig;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.dispatch.budget.BudgetHold;
import dev.beadpool.store.CostReport;
import dev.beadpool.store.NewBead;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Usage, costs and budgets across the whole pool: real agent processes report what they spent
 * (through {@code BEADPOOL_USAGE} or a JSON output line), the worker reads it, the coordinator
 * records and sums it, and budgets hold beads back before dispatch.
 */
class CostsAndBudgetsTest extends AgentPoolHarness {
  /** An agent that writes its usage to the file {@code BEADPOOL_USAGE} names, then exits. */
  Path filer(String cost, int exit) throws Exception {
    return agent(
        "filer",
        "printf '{\"input_tokens\": 1000, \"output_tokens\": 100, \"cost_usd\": %s, \"model\":"
            + " \"m-file\"}' '"
            + cost
            + "' > \"$BEADPOOL_USAGE\"\nexit "
            + exit);
  }

  /** An agent that prints its usage as a JSON line on its output. */
  Path printer(String cost) throws Exception {
    return agent(
        "printer",
        "echo '{\"beadpool_usage\": {\"input_tokens\": 2000, \"output_tokens\": 200,"
            + " \"cost_usd\": "
            + cost
            + "}}'");
  }

  Bead epic(String title) {
    return store.create(
        new NewBead(title, null, "epic", 2, List.of(), null, List.of(), null, null), "test");
  }

  Bead child(String title, String parent, int priority, String... labels) {
    return store.create(
        new NewBead(title, null, null, priority, List.of(labels), parent, List.of(), null, null),
        "test");
  }

  Path config() {
    return dir.resolve("beadpool.yaml");
  }

  /** The coordinator's settings with the budgets of beadpool.yaml, watching it for changes. */
  CoordinatorSettings withBudgets(CoordinatorSettings settings) throws Exception {
    return settings.toBuilder()
        .budgets(BudgetConfig.loadFile(config()))
        .configFile(config())
        .build();
  }

  static Map<String, String> costs(CostReport report) {
    Map<String, String> out = new HashMap<>();
    report.lines().forEach(l -> out.put(l.key(), l.spend().costUsd().toPlainString()));
    return out;
  }

  @Test
  void usageReportedThroughTheFileAndAJsonLineIsSummedExactlyPerBeadEpicAndProfile()
      throws Exception {
    Path filer = filer("0.10", 0);
    Path printer = printer("0.0125");
    configure(
        """
        agent:
          command: [/bin/sh, %s]
          completion: exit-code
        profiles:
          printer:
            command: [/bin/sh, %s]
            completion: exit-code
            usage: json-line
        routing:
          - label: print
            profile: printer
        """
            .formatted(filer, printer));
    Bead epic = epic("checkout");
    Bead filed = child("filed", epic.id(), 2);
    Bead printed = child("printed", epic.id(), 2, "print");
    Bead outside = child("outside", null, 2);
    startPool(3);

    for (Bead b : List.of(filed, printed, outside)) {
      awaitClosed(b.id());
    }

    assertThat(runs(filed.id())).extracting(r -> r.usage().model()).containsExactly("m-file");
    assertThat(costs(coordinator.ledger().costs(CostReport.By.BEAD)))
        .containsEntry(filed.id(), "0.10")
        .containsEntry(printed.id(), "0.0125")
        .containsEntry(outside.id(), "0.10");
    assertThat(costs(coordinator.ledger().costs(CostReport.By.EPIC)))
        .containsExactly(Map.entry(epic.id(), "0.1125"));
    assertThat(costs(coordinator.ledger().costs(CostReport.By.PROFILE)))
        .containsOnly(Map.entry("default", "0.20"), Map.entry("printer", "0.0125"));
    CostReport all = coordinator.ledger().costs(CostReport.By.BEAD);
    assertThat(all.total().costUsd().toPlainString()).isEqualTo("0.2125");
    assertThat(all.total().inputTokens()).isEqualTo(4000);
    assertThat(all.total().outputTokens()).isEqualTo(400);
    assertThat(store.get(printed.id()).metadata().path("usage").path("cost_usd").decimalValue())
        .isEqualByComparingTo("0.0125");

    // the same through the coordinator's API, as `beadpool costs` asks it
    try (CoordinatorApi api = CoordinatorApi.start(coordinator, store.file(), "127.0.0.1", 0)) {
      Cli.Result byEpic = Cli.raw("costs", "--by", "epic", "--db", store.file().toString());
      assertThat(byEpic.exit()).as(byEpic.err()).isZero();
      assertThat(byEpic.out()).contains(epic.id(), "checkout", "$0.1125");
      JsonNode json =
          Cli.raw("costs", "--by", "profile", "--json", "--db", store.file().toString()).json();
      assertThat(json.path("total").path("costUsd").decimalValue()).isEqualByComparingTo("0.2125");
    }
  }

  @Test
  void anEpicsBudgetHoldsItsRemainingBeadsAcrossARestartAndRaisingItReleasesThem()
      throws Exception {
    Path filer = filer("0.10", 0);
    configureAgent(filer, "  completion: exit-code\nbudgets:\n  epic: {usd: 0.15}\n");
    Bead epic = epic("checkout");
    Bead first = child("first", epic.id(), 0);
    Bead second = child("second", epic.id(), 1);
    Bead third = child("third", epic.id(), 2);
    CoordinatorSettings settings =
        withBudgets(coordinatorSettings(3)).toBuilder().maxInFlight(1).build();
    startPool(settings);

    awaitClosed(first.id());
    awaitClosed(second.id());
    String why = "epic " + epic.id() + " spent $0.20 of $0.15";
    await()
        .atMost(WAIT)
        .until(
            () -> coordinator.status().budgetHolds(),
            h -> h.equals(List.of(new BudgetHold(why, 1))));
    assertThat(runs(third.id())).isEmpty();

    // a restarted coordinator keeps the spent figures, and so the hold
    coordinator.close();
    coordinator = new Coordinator(store, settings, Clock.systemUTC());
    coordinator.start();
    assertThat(coordinator.status().budgetHolds()).containsExactly(new BudgetHold(why, 1));
    assertThat(coordinator.ledger().spend(epic.id()).costUsd()).isZero();
    assertThat(costs(coordinator.ledger().costs(CostReport.By.EPIC)))
        .containsExactly(Map.entry(epic.id(), "0.20"));
    assertThat(runs(third.id())).isEmpty();

    Files.writeString(
        config(),
        "agent:\n  command: [/bin/sh, "
            + filer
            + "]\n  completion: exit-code\nbudgets:\n  epic: {usd: 50.00}\n");

    awaitClosed(third.id());
    assertThat(coordinator.status().budgetHolds()).isEmpty();
  }

  @Test
  void aBeadOverItsOwnCapEndsInAFailureBeadThatStatesSpendAndCap() throws Exception {
    Path filer = filer("0.10", 1);
    configureAgent(filer, "  completion: exit-code\nbudgets:\n  bead: {usd: 0.25}\n");
    Bead b = bead("expensive", null);
    startPool(withBudgets(coordinatorSettings(10)));

    awaitFailureBead();

    List<Run> runs = runs(b.id());
    assertThat(runs).extracting(Run::state).containsOnly(RunState.FAILED);
    assertThat(runs).hasSize(3);
    Bead failure = openFailureBeads().get(0);
    assertThat(failure.title()).isEqualTo("FAILURE: spent $0.30 of its $0.25 cap in " + b.id());
    assertThat(failure.text("description")).contains("$0.10, 1100 tokens (m-file)");
  }
}
