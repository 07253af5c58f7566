package dev.beadpool.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The spending caps of {@code beadpool.yaml}: money and/or tokens, enforced by the coordinator
 * before dispatch (not by a prompt an agent may ignore).
 *
 * <pre>
 * budgets:
 *   bead: {usd: 5.00, tokens: 2000000}   # each bead's own spend, over all its attempts
 *   epic: {usd: 50}                      # each epic: the spend of all its descendants
 *   profiles: {claude: {usd: 100}}       # each profile, over all time
 *   day: {usd: 200}                      # the whole pool, per UTC day
 * </pre>
 *
 * @param bead each bead's own cap; reached, the bead gets no further attempt or turn
 * @param epic each ancestor's cap over its descendants; reached, they are held
 * @param profiles each named profile's cap; reached, its beads are held
 * @param day the pool's cap per UTC day; reached, every bead is held until the next day
 */
public record BudgetConfig(Limit bead, Limit epic, Map<String, Limit> profiles, Limit day) {

  /** No budgets: nothing is held for money. */
  public static final BudgetConfig NONE = new BudgetConfig(null, null, Map.of(), null);

  private static final Set<String> KEYS = Set.of("bead", "epic", "profiles", "day");
  private static final Set<String> LIMIT_KEYS = Set.of("usd", "tokens");

  // why BigDecimal: "5.10" must stay 5.10, not 5.0999999
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  public BudgetConfig {
    profiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
  }

  /** Whether no cap is set at all. */
  public boolean isEmpty() {
    return bead == null && epic == null && profiles.isEmpty() && day == null;
  }

  /** The cap of a profile, or null. */
  public Limit profile(String name) {
    return profiles.get(name);
  }

  /**
   * A cap: dollars, tokens (input plus output), or both; reached when either is.
   *
   * @param usd null: no money cap
   * @param tokens null: no token cap
   */
  public record Limit(BigDecimal usd, Long tokens) {
    public Limit {
      if (usd == null && tokens == null) {
        throw new IllegalArgumentException("a budget needs usd, tokens or both");
      }
      if (usd != null && usd.signum() < 0) {
        throw new IllegalArgumentException("usd must not be negative, was " + usd.toPlainString());
      }
      if (tokens != null && tokens < 0) {
        throw new IllegalArgumentException("tokens must not be negative, was " + tokens);
      }
    }

    /** Whether spending this much reaches the cap (a cap of $5.00 is reached at $5.00). */
    public boolean reachedBy(BigDecimal spentUsd, long spentTokens) {
      return (usd != null && spentUsd != null && spentUsd.compareTo(usd) >= 0)
          || (tokens != null && spentTokens >= tokens);
    }

    /**
     * The spend against this cap, for people: {@code $51.20 of $50.00}, or {@code 2100000 tokens of
     * 2000000 tokens}; the money if the money cap is reached or there is no token cap, else the
     * tokens.
     */
    public String describe(BigDecimal spentUsd, long spentTokens) {
      return spent(spentUsd, spentTokens) + " of " + cap(spentUsd, spentTokens);
    }

    /** The spent figure {@link #describe} shows. */
    public String spent(BigDecimal spentUsd, long spentTokens) {
      return inMoney(spentUsd) ? dollars(spentUsd) : spentTokens + " tokens";
    }

    /** The cap {@link #describe} shows. */
    public String cap(BigDecimal spentUsd, long spentTokens) {
      return inMoney(spentUsd) ? dollars(usd) : tokens + " tokens";
    }

    private boolean inMoney(BigDecimal spentUsd) {
      BigDecimal spent = spentUsd == null ? BigDecimal.ZERO : spentUsd;
      return usd != null && (tokens == null || spent.compareTo(usd) >= 0);
    }
  }

  /** Dollars as people read them, exact: at least two decimals, never rounded ($0.0125 stays). */
  public static String dollars(BigDecimal usd) {
    BigDecimal v = usd == null ? BigDecimal.ZERO : usd;
    return "$" + v.setScale(Math.max(2, v.scale())).toPlainString();
  }

  /** The budgets of a configuration file; no file or no {@code budgets:} key: {@link #NONE}. */
  public static BudgetConfig loadFile(Path file) throws ProjectConfig.ConfigException {
    if (file == null || !Files.isRegularFile(file)) {
      return NONE;
    }
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new ProjectConfig.ConfigException(file + ": not valid YAML: " + e.getMessage());
    }
    return root == null || !root.isObject() ? NONE : parse(root.path("budgets"), file);
  }

  /** Reads a {@code budgets:} node; clear errors name the file, the key and the rule. */
  static BudgetConfig parse(JsonNode budgets, Path file) throws ProjectConfig.ConfigException {
    if (budgets.isMissingNode() || budgets.isNull()) {
      return NONE;
    }
    if (!budgets.isObject()) {
      throw error(file, "budgets", "must be a map with bead, epic, profiles and/or day");
    }
    unknownKeys(budgets, KEYS, file, "budgets");
    Map<String, Limit> profiles = new LinkedHashMap<>();
    JsonNode named = budgets.path("profiles");
    if (!named.isMissingNode() && !named.isObject()) {
      throw error(file, "budgets.profiles", "must be a map of profile name to budget");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = named.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      profiles.put(e.getKey(), limit(e.getValue(), file, "budgets.profiles." + e.getKey()));
    }
    return new BudgetConfig(
        limit(budgets.path("bead"), file, "budgets.bead"),
        limit(budgets.path("epic"), file, "budgets.epic"),
        profiles,
        limit(budgets.path("day"), file, "budgets.day"));
  }

  private static Limit limit(JsonNode node, Path file, String key)
      throws ProjectConfig.ConfigException {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw error(file, key, "must be a map with usd and/or tokens, as {usd: 5.00}");
    }
    unknownKeys(node, LIMIT_KEYS, file, key);
    BigDecimal usd = null;
    Long tokens = null;
    JsonNode money = node.path("usd");
    if (!money.isMissingNode() && !money.isNull()) {
      usd = money(money, file, key + ".usd");
    }
    JsonNode count = node.path("tokens");
    if (!count.isMissingNode() && !count.isNull()) {
      if (!count.isIntegralNumber() || !count.canConvertToLong()) {
        throw error(file, key + ".tokens", "must be a whole number of tokens, was " + count);
      }
      tokens = count.asLong();
    }
    try {
      return new Limit(usd, tokens);
    } catch (IllegalArgumentException e) {
      throw error(file, key, e.getMessage());
    }
  }

  /** A dollar figure: a number, or a string such as {@code "5.00"} or {@code "$5"}. */
  private static BigDecimal money(JsonNode node, Path file, String key)
      throws ProjectConfig.ConfigException {
    if (node.isNumber()) {
      return node.decimalValue();
    }
    if (node.isTextual()) {
      String text = node.asText().strip();
      try {
        return new BigDecimal(text.startsWith("$") ? text.substring(1).strip() : text);
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
    }
    throw error(file, key, "must be an amount in dollars, such as 5.00, was " + node);
  }

  private static void unknownKeys(JsonNode node, Set<String> known, Path file, String key)
      throws ProjectConfig.ConfigException {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw error(
            file,
            key + "." + name,
            "unknown key; "
                + key
                + " takes "
                + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  private static ProjectConfig.ConfigException error(Path file, String key, String rule) {
    return new ProjectConfig.ConfigException(Objects.toString(file) + ": " + key + ": " + rule);
  }
}
