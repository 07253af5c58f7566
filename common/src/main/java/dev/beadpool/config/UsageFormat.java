package dev.beadpool.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a worker reads a run's usage from its agent's output, as it streams (the {@code usage:} key
 * of a profile). The {@code BEADPOOL_USAGE} file is read for every format.
 */
public enum UsageFormat {
  /** Nothing read from the output; only the {@code BEADPOOL_USAGE} file counts. */
  NONE("none"),
  /**
   * Claude Code's {@code --output-format json} or {@code stream-json}: the {@code result} object's
   * {@code total_cost_usd}, {@code usage} and model.
   */
  CLAUDE_JSON("claude-json"),
  /** Codex's {@code exec --json} events: the token counts of each turn, summed. */
  CODEX_JSON("codex-json"),
  /** A line {@code {"beadpool_usage": {...}}} in the {@code BEADPOOL_USAGE} file's shape. */
  JSON_LINE("json-line");

  public static final UsageFormat DEFAULT = NONE;

  private final String key;

  UsageFormat(String key) {
    this.key = key;
  }

  /** As written in beadpool.yaml. */
  public String key() {
    return key;
  }

  /**
   * @throws IllegalArgumentException naming the value and the formats known
   */
  public static UsageFormat parse(String value) {
    if (value == null) {
      return DEFAULT;
    }
    String v = value.strip().toLowerCase(Locale.ROOT);
    for (UsageFormat f : values()) {
      if (f.key.equals(v)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "usage must be one of "
            + Arrays.stream(values()).map(UsageFormat::key).collect(Collectors.joining(", "))
            + ", was "
            + value);
  }
}
