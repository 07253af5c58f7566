package dev.beadpool.agent.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.beadpool.protocol.Usage;
import java.math.BigDecimal;
import java.util.List;

/**
 * Usage figures out of agents' JSON, exactly: decimals are read as {@link BigDecimal} from their
 * text, never through a double, so {@code 0.1} stays {@code 0.1}. Agents are untrusted: a figure of
 * the wrong type, negative, fractional where a count is meant, or absurdly large is dropped (and
 * said why), never guessed.
 */
public final class UsageJson {
  /** Dollars a single report may claim; more is taken for garbage, not for a bill. */
  public static final BigDecimal MAX_COST_USD = new BigDecimal("1000000");

  /** Significant digits a cost may have. */
  public static final int MAX_COST_DIGITS = 40;

  /** Keys of the {@code BEADPOOL_USAGE} shape. */
  public static final String INPUT_TOKENS = "input_tokens";

  public static final String OUTPUT_TOKENS = "output_tokens";
  public static final String COST_USD = "cost_usd";
  public static final String MODEL = "model";

  private static final ObjectMapper EXACT =
      new ObjectMapper()
          // why exact: the node factory would otherwise strip trailing zeros (1.50 to 1.5)
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private UsageJson() {}

  /**
   * Parses one JSON text.
   *
   * @throws JsonProcessingException when it is not JSON
   */
  static JsonNode parse(String text) throws JsonProcessingException {
    return EXACT.readTree(text);
  }

  /**
   * A report in the {@code BEADPOOL_USAGE} shape: {@code {"input_tokens": N, "output_tokens": N,
   * "cost_usd": 1.23, "model": "..."}}.
   *
   * @param problems told each figure dropped, and why
   */
  static Usage fromReport(JsonNode report, List<String> problems) {
    if (report == null || !report.isObject()) {
      problems.add("not a JSON object");
      return Usage.NONE;
    }
    return new Usage(
        count(report, INPUT_TOKENS, problems),
        count(report, OUTPUT_TOKENS, problems),
        cost(report.get(COST_USD), COST_USD, problems),
        text(report, MODEL, problems));
  }

  /** A token count: a whole number, 0 or more; absent is null. */
  static Long count(JsonNode parent, String key, List<String> problems) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      problems.add(key + " is not a whole number: " + cut(n.toString()));
      return null;
    }
    if (n.longValue() < 0) {
      problems.add(key + " is negative: " + n.longValue());
      return null;
    }
    return n.longValue();
  }

  /** Dollars: a number, 0 or more, at most {@link #MAX_COST_USD}; absent is null. */
  static BigDecimal cost(JsonNode n, String key, List<String> problems) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isNumber()) {
      problems.add(key + " is not a number: " + cut(n.toString()));
      return null;
    }
    BigDecimal cost = n.decimalValue();
    if (cost.signum() < 0) {
      problems.add(key + " is negative: " + cut(cost.toString()));
      return null;
    }
    if (cost.precision() > MAX_COST_DIGITS || cost.compareTo(MAX_COST_USD) > 0) {
      problems.add(key + " is out of range: " + cut(cost.toString()));
      return null;
    }
    return cost;
  }

  /** A text such as a model name; absent is null. */
  static String text(JsonNode parent, String key, List<String> problems) {
    JsonNode n = parent.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      problems.add(key + " is not a string: " + cut(n.toString()));
      return null;
    }
    return n.asText();
  }

  private static String cut(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
