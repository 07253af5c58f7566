package dev.beadpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
  @TempDir Path dir;

  AgentConfig load(String yaml) throws Exception {
    Files.writeString(dir.resolve("beadpool.yaml"), yaml);
    return AgentConfig.load(dir);
  }

  static Bead bead(String title, String type, String... labels) throws Exception {
    return Bead.fromJson(json(title, type, labels));
  }

  static ObjectNode json(String title, String type, String... labels) {
    ObjectNode bead = Json.MAPPER.createObjectNode();
    bead.put("id", "p-1");
    bead.put("title", title);
    bead.put("issue_type", type);
    bead.put("status", "open");
    bead.put("created_at", "2026-11-01T09:00:00Z");
    bead.put("updated_at", "2026-11-01T09:00:00Z");
    var array = bead.putArray("labels");
    for (String l : labels) {
      array.add(l);
    }
    return bead;
  }

  static final String TEAM =
      """
      agent:
        command: [./run.sh]
      profiles:
        planner:
          command: [claude, -p, "{prompt}"]
          completion: bd-close
          max-in-flight: 1
          timeout: 45m
          env: {MODEL: opus}
          inherit-env: [ANTHROPIC_API_KEY]
        engineer:
          command: [claude, -p, "{prompt}"]
          completion: bd-close
          max-turns: 3
          infra-exit-codes: [75]
          failure-patterns: ["(?i)critical error"]
          escalation:
            - attempt: 2
              extra-args: [--think-hard]
            - attempt: 3
              profile: senior
        senior:
          command: [claude, -p, "{prompt}", --model, opus]
      routing:
        - label: planning
          profile: planner
        - title: "^Plan (tasks|features) for"
          profile: planner
        - type: bug
          profile: engineer
      default-profile: engineer
      workspace:
        roots: [projects, /srv/work]
      worker-sessions: true
      """;

  @Test
  void readsProfilesWithEveryKey() throws Exception {
    AgentConfig config = load(TEAM);

    assertThat(config.profiles().keySet())
        .containsExactly("default", "planner", "engineer", "senior");
    AgentProfile planner = config.profile("planner").orElseThrow();
    assertThat(planner.completion()).isEqualTo(AgentProfile.COMPLETION_BD_CLOSE);
    assertThat(planner.maxInFlight()).isEqualTo(1);
    assertThat(planner.timeout()).isEqualTo(Duration.ofMinutes(45));
    assertThat(planner.env()).isEqualTo(Map.of("MODEL", "opus"));
    assertThat(planner.inheritEnv()).containsExactly("ANTHROPIC_API_KEY");
    AgentProfile engineer = config.profile("engineer").orElseThrow();
    assertThat(engineer.maxTurns()).isEqualTo(3);
    assertThat(engineer.infraExitCodes()).containsExactly(75);
    assertThat(engineer.failurePatterns().get(0).matcher("CRITICAL ERROR: x").find()).isTrue();
    assertThat(config.profile("default").orElseThrow().completion())
        .isEqualTo(AgentProfile.COMPLETION_EXIT_CODE);
    assertThat(config.profile("default").orElseThrow().inheritEnv())
        .as("no list: the worker's environment, but the broker password")
        .isNull();
    assertThat(config.workspaceRoots())
        .containsExactly(dir.resolve("projects").toAbsolutePath(), Path.of("/srv/work"));
    assertThat(config.workerSessions()).isTrue();
    assertThat(config.hasProfileLimits()).isTrue();
    assertThat(config.maxTurns("engineer")).isEqualTo(3);
    assertThat(config.maxTurns("unknown")).isEqualTo(AgentProfile.DEFAULT_MAX_TURNS);
  }

  @Test
  void routesByMetadataThenRulesInOrderThenTheDefault() throws Exception {
    AgentConfig config = load(TEAM);

    assertThat(config.route(bead("Write docs", "task", "planning"), 1)).isEqualTo("planner");
    assertThat(config.route(bead("Plan tasks for Feature A", "task"), 1)).isEqualTo("planner");
    assertThat(config.route(bead("Crash on save", "bug"), 1)).isEqualTo("engineer");
    assertThat(config.route(bead("Something", "task"), 1)).isEqualTo("engineer");
    ObjectNode named = json("Crash on save", "bug", "planning");
    named.putObject("metadata").put("agent", "senior");
    assertThat(config.route(Bead.fromJson(named), 1))
        .as("metadata.agent first")
        .isEqualTo("senior");
    named.put("metadata", "{\"agent\": \"senior\"}");
    assertThat(config.route(Bead.fromJson(named), 1))
        .as("metadata as bd's JSON string too")
        .isEqualTo("senior");
    named.putObject("metadata").put("agent", "no-such-profile");
    assertThat(config.route(Bead.fromJson(named), 1))
        .as("an unknown metadata.agent falls back to the rules")
        .isEqualTo("planner");
  }

  @Test
  void escalatesByAttempt() throws Exception {
    AgentConfig config = load(TEAM);
    Bead bug = bead("Crash", "bug");

    assertThat(config.route(bug, 1)).isEqualTo("engineer");
    assertThat(config.route(bug, 2)).isEqualTo("engineer");
    assertThat(config.route(bug, 3)).isEqualTo("senior");
    AgentProfile engineer = config.profile("engineer").orElseThrow();
    assertThat(engineer.commandFor(1)).containsExactly("claude", "-p", "{prompt}");
    assertThat(engineer.commandFor(2)).containsExactly("claude", "-p", "{prompt}", "--think-hard");
  }

  @Test
  void noFileMeansEverythingGoesToTheDefaultProfile() throws Exception {
    AgentConfig config = AgentConfig.load(dir);

    assertThat(config).isSameAs(AgentConfig.NONE);
    assertThat(config.route(bead("x", "task", "planning"), 3)).isEqualTo("default");
    assertThat(config.hasProfileLimits()).isFalse();
  }

  @Test
  void mistakesNameTheFileTheKeyAndTheRule() {
    assertThatThrownBy(() -> load("profiles:\n  p:\n    completion: bd-close\n"))
        .hasMessageContaining("beadpool.yaml: profiles.p: command: must list the program");
    assertThatThrownBy(
            () ->
                load(
                    "profiles:\n  p:\n    command: [x]\ndefault-profile: p\nrouting:\n  - label: a\n    profile: q\n"))
        .hasMessageContaining("routing[0].profile: must name a profile, was q");
    assertThatThrownBy(() -> load("profiles:\n  p:\n    command: [x]\n    completion: maybe\n"))
        .hasMessageContaining("profiles.p: completion must be exit-code or bd-close, was maybe");
    assertThatThrownBy(
            () ->
                load(
                    "profiles:\n  p:\n    command: [x]\n    escalation:\n      - attempt: 2\n        profile: nope\ndefault-profile: p\n"))
        .hasMessageContaining("profiles.p.escalation: names nope, which is not a profile");
    assertThatThrownBy(() -> load("profiles:\n  p:\n    command: [x]\n    timeout: soon\n"))
        .hasMessageContaining("'soon' is not a duration");
    assertThatThrownBy(() -> load("profiles:\n  p:\n    command: [x]\ndefault-profile: q\n"))
        .hasMessageContaining("default-profile: names q, which is not a profile (p); beads no");
    assertThatThrownBy(
            () ->
                load(
                    "profiles:\n  p:\n    command: [x]\ndefault-profile: p\nrouting:\n  - title: '(['\n    profile: p\n"))
        .hasMessageContaining("routing[0].title: not a regular expression");
    assertThatThrownBy(
            () ->
                load(
                    "profiles:\n  p:\n    command: [x]\n    prompt:\n      template: '{{secret}}'\n"))
        .hasMessageContaining("unknown variable {{secret}}");
  }

  @Test
  void thePromptIsFilledInOnePassSoBeadTextIsNeverExpanded() {
    PromptTemplate template = new PromptTemplate("Do {{id}}: {{title}}\n{{ notes }}", "stdin");

    String prompt =
        template.render(
            Map.of("id", "p-1", "title", "use {{notes}} and $1 \\ literally", "notes", "n"));

    assertThat(prompt).isEqualTo("Do p-1: use {{notes}} and $1 \\ literally\nn");
    assertThat(new PromptTemplate(null, null).text()).isEqualTo(PromptTemplate.DEFAULT_TEXT);
    assertThatThrownBy(() -> new PromptTemplate("x", "pigeon"))
        .hasMessageContaining("prompt.via must be arg, stdin or file");
  }

  @Test
  void theAgentCommandFlagReplacesTheDefaultProfilesCommandOnly() throws Exception {
    AgentConfig config = load(TEAM).withDefaultCommand(List.of("/bin/true"));

    assertThat(config.profile("default").orElseThrow().command()).containsExactly("/bin/true");
    assertThat(config.profile("planner").orElseThrow().command().get(0)).isEqualTo("claude");
  }
}
