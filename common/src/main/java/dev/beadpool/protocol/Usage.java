package dev.beadpool.protocol;

import java.math.BigDecimal;

/**
 * What a run spent, as its agent reported it (the {@code BEADPOOL_USAGE} file or its profile's
 * output parsing). Any part may be unknown (null). Figures come from agents, so they are bounded: a
 * negative figure is unknown, a model name is cut to {@link #MAX_MODEL} characters.
 *
 * @param costUsd dollars, exact as reported (never a float)
 */
public record Usage(Long inputTokens, Long outputTokens, BigDecimal costUsd, String model) {
  public static final int MAX_MODEL = 100;

  /** Nothing reported. */
  public static final Usage NONE = new Usage(null, null, null, null);

  public Usage {
    inputTokens = inputTokens == null || inputTokens < 0 ? null : inputTokens;
    outputTokens = outputTokens == null || outputTokens < 0 ? null : outputTokens;
    costUsd = costUsd == null || costUsd.signum() < 0 ? null : costUsd;
    model =
        model == null || model.isBlank()
            ? null
            : model.length() > MAX_MODEL ? model.substring(0, MAX_MODEL) : model;
  }

  /** Whether nothing at all was reported. */
  @com.fasterxml.jackson.annotation.JsonIgnore // why: derived, not a figure ("empty" in JSON)
  public boolean isEmpty() {
    return inputTokens == null && outputTokens == null && costUsd == null && model == null;
  }

  /** Input plus output tokens, 0 when unknown. */
  public long tokens() {
    return (inputTokens == null ? 0 : inputTokens) + (outputTokens == null ? 0 : outputTokens);
  }

  /** The sum of two reports; the model of {@code other} if it names one. */
  public Usage plus(Usage other) {
    if (other == null || other.isEmpty()) {
      return this;
    }
    return new Usage(
        sum(inputTokens, other.inputTokens),
        sum(outputTokens, other.outputTokens),
        costUsd == null
            ? other.costUsd
            : other.costUsd == null ? costUsd : costUsd.add(other.costUsd),
        other.model != null ? other.model : model);
  }

  private static Long sum(Long a, Long b) {
    return a == null ? b : b == null ? a : a + b;
  }
}
