package dev.beadpool.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.beadpool.bead.Bead;
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
 * The agents of {@code beadpool.yaml}: profiles, the rules that route a bead to one, and the
 * workspace roots agents may work in. Read by the coordinator (routing, per-profile limits, turns)
 * and by workers (what to run).
 *
 * <pre>
 * agent:                        # the single agent of the pool: the profile "default"
 *   command: [./agents/run.sh]
 * profiles:
 *   planner:
 *     command: [claude, -p, "{prompt}"]
 *     completion: bd-close
 *     max-in-flight: 1
 * routing:
 *   - label: planning
 *     profile: planner
 *   - title: "^Plan (tasks|features) for"
 *     profile: planner
 * default-profile: default
 * workspace:
 *   roots: [/srv/projects]
 * </pre>
 *
 * @param workspaceRoots where agents may work; a bead's {@code Working directory:} line must lie
 *     inside one (empty: only the worker's working directory)
 * @param worktrees where {@code workspace: worktree} profiles put their git worktrees (relative to
 *     the repository)
 * @param workerSessions record each run as a closed {@code worker-session} bead too
 * @param repository the code flow's git remote ({@link RepositoryConfig}), or null for none
 */
public record AgentConfig(
    Map<String, AgentProfile> profiles,
    List<Rule> routing,
    String defaultProfile,
    List<Path> workspaceRoots,
    String worktrees,
    boolean workerSessions,
    RepositoryConfig repository) {

  public static final String DEFAULT_PROFILE = "default";
  public static final String DEFAULT_WORKTREES = ".beadpool/worktrees";

  /** No profiles configured: everything goes to {@code default}. */
  public static final AgentConfig NONE =
      new AgentConfig(
          Map.of(), List.of(), DEFAULT_PROFILE, List.of(), DEFAULT_WORKTREES, false, null);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * Routes beads that match every condition given: a label, an issue type, a title pattern (found
   * anywhere in the title).
   */
  public record Rule(String label, String type, Pattern title, String profile) {
    boolean matches(Bead bead) {
      return (label == null || bead.labels().contains(label))
          && (type == null || type.equals(bead.issueType()))
          && (title == null || title.matcher(bead.title()).find());
    }
  }

  public AgentConfig {
    profiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
    routing = List.copyOf(routing);
    defaultProfile = defaultProfile == null ? DEFAULT_PROFILE : defaultProfile;
    workspaceRoots = List.copyOf(workspaceRoots);
    worktrees = worktrees == null ? DEFAULT_WORKTREES : worktrees;
  }

  /** This configuration with {@code repo} as its code flow (null: none). */
  public AgentConfig withRepository(RepositoryConfig repo) {
    return new AgentConfig(
        profiles, routing, defaultProfile, workspaceRoots, worktrees, workerSessions, repo);
  }

  /** The profile named, if configured. */
  public java.util.Optional<AgentProfile> profile(String name) {
    return java.util.Optional.ofNullable(profiles.get(name));
  }

  /**
   * The profile a bead runs with at an attempt: {@code metadata.agent} if it names a profile, else
   * the first matching rule, else the default; then the escalation of that profile for the attempt.
   */
  public String route(Bead bead, int attempt) {
    String base = null;
    JsonNode agent = bead.metadata().path("agent");
    if (agent.isTextual() && profiles.containsKey(agent.asText())) {
      base = agent.asText();
    }
    for (int i = 0; base == null && i < routing.size(); i++) {
      if (routing.get(i).matches(bead)) {
        base = routing.get(i).profile();
      }
    }
    if (base == null) {
      base = defaultProfile;
    }
    AgentProfile profile = profiles.get(base);
    return profile == null ? base : profile.profileFor(attempt);
  }

  /** Most turns an attempt of this profile may take. */
  public int maxTurns(String profile) {
    AgentProfile p = profiles.get(profile);
    return p == null ? AgentProfile.DEFAULT_MAX_TURNS : p.maxTurns();
  }

  /** This configuration with the default profile's command replaced (or the profile added). */
  public AgentConfig withDefaultCommand(List<String> command) {
    Map<String, AgentProfile> changed = new LinkedHashMap<>(profiles);
    AgentProfile old = profiles.get(DEFAULT_PROFILE);
    changed.put(
        DEFAULT_PROFILE,
        old == null ? AgentProfile.of(DEFAULT_PROFILE, command) : old.withCommand(command));
    return new AgentConfig(
        changed, routing, defaultProfile, workspaceRoots, worktrees, workerSessions, repository);
  }

  /** Whether any profile has a max-in-flight of its own. */
  public boolean hasProfileLimits() {
    return profiles.values().stream().anyMatch(p -> p.maxInFlight() > 0);
  }

  /** The per-profile limit on runs in flight, 0 if none. */
  public int maxInFlight(String profile) {
    AgentProfile p = profiles.get(profile);
    return p == null ? 0 : p.maxInFlight();
  }

  /** Reads {@code beadpool.yaml} in {@code projectDir}; no file or no agent keys: {@link #NONE}. */
  public static AgentConfig load(Path projectDir) throws ProjectConfig.ConfigException {
    return loadFile(projectDir.resolve(ProjectConfig.FILE_NAME));
  }

  /**
   * Reads a configuration file; relative paths in it are relative to its folder. No file: {@link
   * #NONE}.
   */
  public static AgentConfig loadFile(Path file) throws ProjectConfig.ConfigException {
    Path projectDir = file.toAbsolutePath().getParent();
    if (!Files.isRegularFile(file)) {
      return NONE;
    }
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new ProjectConfig.ConfigException(file + ": not valid YAML: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      return NONE;
    }
    return parse(root, file, projectDir);
  }

  static AgentConfig parse(JsonNode root, Path file, Path projectDir)
      throws ProjectConfig.ConfigException {
    Map<String, AgentProfile> profiles = new LinkedHashMap<>();
    if (root.has("agent")) {
      profiles.put(
          DEFAULT_PROFILE, profile(DEFAULT_PROFILE, root.get("agent"), "agent", file, projectDir));
    }
    JsonNode list = root.path("profiles");
    if (!list.isMissingNode() && !list.isObject()) {
      throw error(file, "profiles", "must be a map of profile name to profile");
    }
    for (var it = list.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getKey().matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
        throw error(file, "profiles." + e.getKey(), "a profile name is letters, digits, - and _");
      }
      if (profiles.containsKey(e.getKey())) {
        throw error(
            file, "profiles." + e.getKey(), "defined twice (the agent block is profile default)");
      }
      profiles.put(
          e.getKey(),
          profile(e.getKey(), e.getValue(), "profiles." + e.getKey(), file, projectDir));
    }
    String defaultProfile = root.path("default-profile").asText(DEFAULT_PROFILE);
    if (!profiles.isEmpty() && !profiles.containsKey(defaultProfile)) {
      throw error(
          file,
          "default-profile",
          "names "
              + defaultProfile
              + ", which is not a profile ("
              + String.join(", ", profiles.keySet())
              + "); beads no routing rule matches go to it: set default-profile, or add an agent:"
              + " block for the default profile");
    }
    List<Rule> rules = new ArrayList<>();
    JsonNode routing = root.path("routing");
    if (!routing.isMissingNode() && !routing.isArray()) {
      throw error(file, "routing", "must be a list of rules");
    }
    for (int i = 0; i < routing.size(); i++) {
      JsonNode r = routing.get(i);
      String where = "routing[" + i + "]";
      String profile = r.path("profile").asText(null);
      if (profile == null || !profiles.containsKey(profile)) {
        throw error(file, where + ".profile", "must name a profile, was " + profile);
      }
      Pattern title = null;
      if (r.hasNonNull("title")) {
        try {
          title = Pattern.compile(r.get("title").asText());
        } catch (PatternSyntaxException e) {
          throw error(file, where + ".title", "not a regular expression: " + e.getDescription());
        }
      }
      Rule rule =
          new Rule(r.path("label").asText(null), r.path("type").asText(null), title, profile);
      if (rule.label() == null && rule.type() == null && rule.title() == null) {
        throw error(file, where, "a rule needs a label, a type or a title pattern");
      }
      rules.add(rule);
    }
    for (AgentProfile p : profiles.values()) {
      if (p.fallback() != null && !profiles.containsKey(p.fallback())) {
        throw error(
            file,
            keyOf(p, root) + ".fallback",
            "names "
                + p.fallback()
                + ", which is not a profile ("
                + String.join(", ", profiles.keySet())
                + ")");
      }
      for (AgentProfile.Escalation e : p.escalation()) {
        if (e.profile() != null && !profiles.containsKey(e.profile())) {
          throw error(
              file,
              keyOf(p, root) + ".escalation",
              "names " + e.profile() + ", which is not a profile");
        }
      }
    }
    JsonNode workspace = root.path("workspace");
    List<Path> roots = new ArrayList<>();
    for (JsonNode r : workspace.path("roots")) {
      roots.add(projectDir.resolve(r.asText()).toAbsolutePath().normalize());
    }
    return new AgentConfig(
        profiles,
        rules,
        defaultProfile,
        roots,
        workspace.path("worktrees").asText(DEFAULT_WORKTREES),
        root.path("worker-sessions").asBoolean(false),
        RepositoryConfig.parse(root, file, projectDir));
  }

  private static AgentProfile profile(
      String name, JsonNode node, String where, Path file, Path projectDir)
      throws ProjectConfig.ConfigException {
    if (!node.isObject()) {
      throw error(file, where, "must be a map with at least a command");
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
      throw error(file, where, e.getMessage());
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

  /** Where a profile is written in the file: {@code agent} or {@code profiles.NAME}. */
  private static String keyOf(AgentProfile p, JsonNode root) {
    return p.name().equals(DEFAULT_PROFILE) && root.has("agent") ? "agent" : "profiles." + p.name();
  }

  private static ProjectConfig.ConfigException error(Path file, String key, String rule) {
    return new ProjectConfig.ConfigException(file + ": " + key + ": " + rule);
  }
}
