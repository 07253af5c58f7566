package dev.beadpool.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.beadpool.bead.Bead;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
          DEFAULT_PROFILE,
          ProfileReader.read(DEFAULT_PROFILE, root.get("agent"), "agent", file, projectDir));
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
          ProfileReader.read(e.getKey(), e.getValue(), "profiles." + e.getKey(), file, projectDir));
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

  /** Where a profile is written in the file: {@code agent} or {@code profiles.NAME}. */
  private static String keyOf(AgentProfile p, JsonNode root) {
    return p.name().equals(DEFAULT_PROFILE) && root.has("agent") ? "agent" : "profiles." + p.name();
  }

  static ProjectConfig.ConfigException error(Path file, String key, String rule) {
    return new ProjectConfig.ConfigException(file + ": " + key + ": " + rule);
  }
}
