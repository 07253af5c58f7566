package dev.beadpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.protocol.LeaseSecret;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.protocol.Usage;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.NewBead;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunLedger;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code costs}, {@code runs} and {@code show} over a store whose runs reported usage. */
class CostsCliTest {
  @TempDir java.nio.file.Path dir;
  Cli cli;
  String epic;
  String task;

  @BeforeEach
  void runsThatReportedUsage() {
    cli = new Cli(dir.resolve("proj"));
    try (BeadStore store = BeadStore.open(cli.db(), Clock.systemUTC())) {
      epic =
          store
              .create(
                  new NewBead("Checkout", null, "epic", 2, List.of(), null, List.of(), null, null),
                  "t")
              .id();
      task =
          store
              .create(
                  new NewBead("Form", null, null, 2, List.of(), epic, List.of(), null, null), "t")
              .id();
      RunLedger ledger = new RunLedger(store);
      finish(ledger, task, new Usage(1000L, 100L, new BigDecimal("0.1"), "claude-sonnet"), false);
      finish(ledger, task, new Usage(2000L, 200L, new BigDecimal("0.2"), "claude-sonnet"), true);
    }
  }

  static void finish(RunLedger ledger, String beadId, Usage usage, boolean done) {
    Run run = ledger.dispatch(beadId, 0);
    LeaseSecret secret = LeaseSecret.generate();
    String lease = "lease-" + run.run();
    ledger.claim(beadId, run.run(), "w-1", lease, secret.proof());
    RunResult result =
        done
            ? RunResult.succeeded(beadId, run.run(), lease, "w-1", null, "", "")
            : RunResult.failed(beadId, run.run(), lease, "w-1", 1, "boom", "", "");
    ledger.apply(result.withUsage(usage).signed(secret), 3);
  }

  @Test
  void costsPrintsExactTotalsPerBeadAndEpic() {
    Cli.Result byBead = cli.run("costs");
    assertThat(byBead.exit()).as(byBead.err()).isZero();
    assertThat(byBead.out())
        .contains("BEAD", "TITLE", "COST", task, "Form", "$0.30")
        .contains("total: $0.30 over 2 run(s), 3000 input and 300 output tokens");

    Cli.Result byEpic = cli.run("costs", "--by", "epic");
    assertThat(byEpic.out()).contains("EPIC", epic, "Checkout", "$0.30");

    JsonNode json = cli.run("costs", "--by", "profile", "--json").json();
    assertThat(json.path("by").asText()).isEqualTo("profile");
    assertThat(json.path("lines").get(0).path("key").asText()).isEqualTo("default");
    assertThat(json.path("total").path("costUsd").decimalValue()).isEqualByComparingTo("0.3");
  }

  @Test
  void aGroupingThatDoesNotExistIsAUsageError() {
    Cli.Result r = cli.run("costs", "--by", "week");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("use bead, epic, profile or day");
  }

  @Test
  void runsAndShowIncludeUsage() {
    Cli.Result runs = cli.run("runs", task);
    assertThat(runs.out()).contains("TOKENS", "COST", "1100", "$0.10", "2200", "$0.20");
    assertThat(cli.run("runs", task, "--json").json().get(1).path("usage").path("model").asText())
        .isEqualTo("claude-sonnet");

    Cli.Result show = cli.run("show", task);
    assertThat(show.out()).contains("Spent: $0.30, 3000 input and 300 output tokens");
    JsonNode usage = cli.run("show", task, "--json").json().get(0).path("metadata").path("usage");
    assertThat(usage.path("cost_usd").decimalValue()).isEqualByComparingTo("0.3");
  }
}
