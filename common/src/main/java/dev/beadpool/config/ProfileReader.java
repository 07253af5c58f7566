package dev.beadpool.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads one profile of {@code beadpool.yaml} ({@code agent:} or {@code profiles.NAME}): its
 * command, environment, workspace, completion, failure rules, escalation, prompt, usage format,
 * usage-limit rules and fallback, each checked with an error that names the file, the key and the
 * rule. {@link AgentConfig} reads the rest (routing, workspace roots) and what ties profiles
 * together (a fallback or an escalation must name a profile).
 */
final class ProfileReader {
  private ProfileReader() {}

  static AgentProfile read(String name, JsonNode node, String where, Path file, Path projectDir)
      throws ProjectConfig.ConfigException {
    if (!node.isObject()) {
      throw AgentConfig.error(file, where, "must be a map with at least a command");
    }
    try {
      List<String> command = strings(node.path("command"));
      if (command.isEmpty()) {
        throw new IllegalArgumentException("command: must list the program and its arguments");
      }
      Map<String, String> env = new LinkedHashMap<>();
      for (var it = node.path("env").fields(); it.hasNext(); ) {
        var e = it.next();
        env.put(e.getKey(), e.getValue().asText());
      }
      List<String> inherit = node.has("inherit-env") ? strings(node.get("inherit-env")) : null;
      Set<Integer> infra = new HashSet<>();
      for (JsonNode c : node.path("infra-exit-codes")) {
        if (!c.canConvertToInt()) {
          throw new IllegalArgumentException("infra-exit-codes: " + c + " is not a number");
        }
        infra.add(c.asInt());
      }
      List<Pattern> patterns = new ArrayList<>();
      for (String p : strings(node.path("failure-patterns"))) {
        try {
          patterns.add(Pattern.compile(p));
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException(
              "failure-patterns: '" + p + "' is not a regular expression: " + e.getDescription());
        }
      }
      List<AgentProfile.Escalation> escalation = new ArrayList<>();
      for (JsonNode e : node.path("escalation")) {
        escalation.add(
            new AgentProfile.Escalation(
                e.path("attempt").asInt(0),
                e.path("profile").asText(null),
                e.has("extra-args") ? strings(e.get("extra-args")) : null));
      }
      JsonNode prompt = node.path("prompt");
      String template = prompt.path("template").asText(null);
      if (prompt.hasNonNull("template-file")) {
        Path t = projectDir.resolve(prompt.get("template-file").asText());
        try {
          template = Files.readString(t);
        } catch (IOException e) {
          throw new IllegalArgumentException("prompt.template-file: cannot read " + t);
        }
      }
      return new AgentProfile(
          name,
          command,
          env,
          inherit,
          node.hasNonNull("timeout") ? Durations.parse(node.get("timeout").asText()) : null,
          node.path("workspace").asText(null),
          node.path("completion").asText(null),
          infra,
          patterns,
          node.path("max-in-flight").asInt(0),
          node.path("max-turns").asInt(AgentProfile.DEFAULT_MAX_TURNS),
          escalation,
          new PromptTemplate(template, prompt.path("via").asText(null)),
          UsageFormat.parse(node.path("usage").asText(null)),
          limit(node.path("limit")),
          node.path("fallback").asText(null));
    } catch (IllegalArgumentException e) {
      throw AgentConfig.error(file, where, e.getMessage());
    }
  }

  /** The {@code limit} block of a profile; absent: {@link UsageLimitSettings#NONE}. */
  private static UsageLimitSettings limit(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return UsageLimitSettings.NONE;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          "limit: must be a map (exit-codes, patterns, timezone, default-pause, margin)");
    }
    for (var it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!LIMIT_KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "limit." + key + ": unknown key (known: " + String.join(", ", LIMIT_KEYS) + ")");
      }
    }
    Set<Integer> codes = new HashSet<>();
    JsonNode exitCodes = node.path("exit-codes");
    if (!exitCodes.isMissingNode() && !exitCodes.isArray()) {
      throw new IllegalArgumentException("limit.exit-codes: must be a list of numbers");
    }
    for (JsonNode c : exitCodes) {
      if (!c.canConvertToInt() || !c.isIntegralNumber()) {
        throw new IllegalArgumentException("limit.exit-codes: " + c + " is not a number");
      }
      codes.add(c.asInt());
    }
    List<Pattern> patterns = new ArrayList<>();
    List<String> texts;
    try {
      texts = strings(node.path("patterns"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("limit.patterns: " + e.getMessage());
    }
    for (String p : texts) {
      try {
        patterns.add(Pattern.compile(p));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "limit.patterns: '" + p + "' is not a regular expression: " + e.getDescription());
      }
    }
    java.time.ZoneId zone = null;
    if (node.hasNonNull("timezone")) {
      try {
        zone = java.time.ZoneId.of(node.get("timezone").asText());
      } catch (java.time.DateTimeException e) {
        throw new IllegalArgumentException(
            "limit.timezone: '"
                + node.get("timezone").asText()
                + "' is not a time zone (UTC, Europe/Berlin, America/Los_Angeles, +02:00)");
      }
    }
    try {
      return new UsageLimitSettings(
          codes, patterns, zone, duration(node, "default-pause"), duration(node, "margin"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          e.getMessage().startsWith("limit.") ? e.getMessage() : "limit." + e.getMessage());
    }
  }

  private static final List<String> LIMIT_KEYS =
      List.of("exit-codes", "patterns", "timezone", "default-pause", "margin");

  private static java.time.Duration duration(JsonNode node, String key) {
    if (!node.hasNonNull(key)) {
      return null;
    }
    try {
      return Durations.parse(node.get(key).asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("limit." + key + ": " + e.getMessage());
    }
  }

  private static List<String> strings(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException("expected a list, was " + node);
    }
    List<String> out = new ArrayList<>();
    node.forEach(n -> out.add(n.asText()));
    return out;
  }
}
