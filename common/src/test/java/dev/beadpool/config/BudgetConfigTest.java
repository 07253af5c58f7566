package dev.beadpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetConfigTest {
  @TempDir Path dir;

  BudgetConfig load(String yaml) throws Exception {
    Path file = dir.resolve("beadpool.yaml");
    Files.writeString(file, yaml);
    return BudgetConfig.loadFile(file);
  }

  @Test
  void everyBudgetIsReadExactly() throws Exception {
    BudgetConfig b =
        load(
            """
            budgets:
              bead: {usd: 5.10, tokens: 2000000}
              epic: {usd: 50}
              profiles: {claude: {usd: "$100.25"}}
              day: {tokens: 1000}
            """);
    assertThat(b.bead().usd()).isEqualByComparingTo("5.10");
    assertThat(BudgetConfig.dollars(b.bead().usd())).isEqualTo("$5.10");
    assertThat(b.bead().tokens()).isEqualTo(2_000_000L);
    assertThat(b.epic().usd()).isEqualByComparingTo("50");
    assertThat(b.epic().tokens()).isNull();
    assertThat(b.profile("claude").usd().toPlainString()).isEqualTo("100.25");
    assertThat(b.day().tokens()).isEqualTo(1000L);
    assertThat(b.isEmpty()).isFalse();
  }

  @Test
  void noFileOrNoBudgetsKeyIsNone() throws Exception {
    assertThat(BudgetConfig.loadFile(dir.resolve("missing.yaml"))).isEqualTo(BudgetConfig.NONE);
    assertThat(load("agent: {command: [true]}\n")).isEqualTo(BudgetConfig.NONE);
    assertThat(BudgetConfig.NONE.isEmpty()).isTrue();
  }

  @Test
  void badKeysAreClearErrorsNamingFileKeyAndRule() {
    assertThatThrownBy(() -> load("budgets:\n  week: {usd: 5}\n"))
        .hasMessageContaining("beadpool.yaml: budgets.week: unknown key")
        .hasMessageContaining("bead, day, epic, profiles");
    assertThatThrownBy(() -> load("budgets:\n  bead: {dollars: 5}\n"))
        .hasMessageContaining("budgets.bead.dollars: unknown key");
    assertThatThrownBy(() -> load("budgets:\n  bead: {usd: five}\n"))
        .hasMessageContaining("budgets.bead.usd: must be an amount in dollars");
    assertThatThrownBy(() -> load("budgets:\n  epic: {tokens: 1.5}\n"))
        .hasMessageContaining("budgets.epic.tokens: must be a whole number");
    assertThatThrownBy(() -> load("budgets:\n  day: {usd: -1}\n"))
        .hasMessageContaining("budgets.day: usd must not be negative");
    assertThatThrownBy(() -> load("budgets:\n  day: {}\n"))
        .hasMessageContaining("budgets.day: a budget needs usd, tokens or both");
    assertThatThrownBy(() -> load("budgets: 5\n")).hasMessageContaining("budgets: must be a map");
    assertThatThrownBy(() -> load("budgets:\n  profiles: [claude]\n"))
        .hasMessageContaining("budgets.profiles: must be a map");
  }

  @Test
  void aCapIsReachedAtItsFigureAndSaysSoExactly() {
    BudgetConfig.Limit cap = new BudgetConfig.Limit(new BigDecimal("50.00"), null);
    assertThat(cap.reachedBy(new BigDecimal("49.999"), 0)).isFalse();
    assertThat(cap.reachedBy(new BigDecimal("50"), 0)).isTrue();
    assertThat(cap.describe(new BigDecimal("51.2"), 0)).isEqualTo("$51.20 of $50.00");
    BudgetConfig.Limit tokens = new BudgetConfig.Limit(null, 100L);
    assertThat(tokens.reachedBy(null, 100)).isTrue();
    assertThat(tokens.describe(null, 120)).isEqualTo("120 tokens of 100 tokens");
    assertThat(BudgetConfig.dollars(new BigDecimal("0.0125"))).isEqualTo("$0.0125");
  }
}
