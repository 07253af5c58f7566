package dev.beadpool.store;

import dev.beadpool.protocol.Usage;
import java.math.BigDecimal;

/**
 * What some runs spent, summed: tokens and dollars exactly as their agents reported them (no float
 * on the way). A figure an agent did not report counts as nothing.
 *
 * @param runs the runs that reported any usage
 */
public record Spend(long inputTokens, long outputTokens, BigDecimal costUsd, int runs) {
  /** Nothing spent. */
  public static final Spend ZERO = new Spend(0, 0, BigDecimal.ZERO, 0);

  public Spend {
    costUsd = costUsd == null ? BigDecimal.ZERO : costUsd;
  }

  /** Input plus output tokens. */
  public long tokens() {
    return inputTokens + outputTokens;
  }

  /** This spend and one more run's usage. */
  public Spend plus(Usage usage) {
    if (usage == null || usage.isEmpty()) {
      return this;
    }
    return new Spend(
        inputTokens + (usage.inputTokens() == null ? 0 : usage.inputTokens()),
        outputTokens + (usage.outputTokens() == null ? 0 : usage.outputTokens()),
        usage.costUsd() == null ? costUsd : costUsd.add(usage.costUsd()),
        runs + 1);
  }

  /** The sum of two spends. */
  public Spend plus(Spend other) {
    return new Spend(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        costUsd.add(other.costUsd),
        runs + other.runs);
  }
}
