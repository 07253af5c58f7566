package dev.beadpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageLimitSettingsTest {
  @TempDir Path dir;

  AgentConfig load(String yaml) throws Exception {
    Files.writeString(dir.resolve("beadpool.yaml"), yaml);
    return AgentConfig.load(dir);
  }

  static final String CLAUDE_AND_CODEX =
      """
      profiles:
        claude:
          command: [claude, -p, "{prompt}", --output-format, json]
          usage: claude-json
          limit:
            exit-codes: [75]
            patterns:
              - "hit your limit.*resets (?<reset>\\\\d{1,2}(:\\\\d{2})?\\\\s*[ap]m)(?: \\\\((?<tz>[A-Za-z_/]+)\\\\))?"
              - "usage limit reached\\\\|(?<epoch>\\\\d+)"
            timezone: Europe/Berlin
            default-pause: 30m
            margin: 2m
          fallback: codex
        codex:
          command: [codex, exec, --json, "{prompt}"]
          usage: codex-json
      default-profile: claude
      """;

  @Test
  void aProfileReadsItsUsageFormatLimitAndFallback() throws Exception {
    AgentConfig config = load(CLAUDE_AND_CODEX);

    AgentProfile claude = config.profile("claude").orElseThrow();
    assertThat(claude.usage()).isEqualTo(UsageFormat.CLAUDE_JSON);
    assertThat(claude.fallback()).isEqualTo("codex");
    assertThat(claude.limit().exitCodes()).containsExactly(75);
    assertThat(claude.limit().patterns()).hasSize(2);
    assertThat(
            claude.limit().patterns().get(0).matcher("You've hit your limit · resets 3pm").find())
        .isTrue();
    assertThat(claude.limit().timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(claude.limit().defaultPause()).isEqualTo(Duration.ofMinutes(30));
    assertThat(claude.limit().margin()).isEqualTo(Duration.ofMinutes(2));
    assertThat(claude.limit().detects()).isTrue();
    assertThat(load(CLAUDE_AND_CODEX).profile("claude").orElseThrow().limit())
        .as("two readings of one file are equal, patterns and all")
        .isEqualTo(claude.limit());

    AgentProfile codex = config.profile("codex").orElseThrow();
    assertThat(codex.usage()).isEqualTo(UsageFormat.CODEX_JSON);
    assertThat(codex.fallback()).isNull();
    assertThat(codex.limit()).isEqualTo(UsageLimitSettings.NONE);
  }

  @Test
  void withoutALimitBlockTheDefaultsHold() throws Exception {
    AgentProfile p = load("agent:\n  command: [x]\n").profile("default").orElseThrow();

    assertThat(p.usage()).isEqualTo(UsageFormat.NONE);
    assertThat(p.limit().detects()).isFalse();
    assertThat(p.limit().margin()).isEqualTo(UsageLimitSettings.DEFAULT_MARGIN);
    assertThat(p.limit().defaultPause()).isEqualTo(UsageLimitSettings.DEFAULT_PAUSE);
    assertThat(p.limit().timezone()).isEqualTo(UsageLimitSettings.DEFAULT_TIMEZONE);
    assertThat(p.withCommand(java.util.List.of("y")).limit()).isEqualTo(p.limit());
  }

  @Test
  void mistakesInLimitUsageAndFallbackNameTheFileTheKeyAndTheRule() {
    assertThatThrownBy(() -> load("agent:\n  command: [x]\n  usage: tokens\n"))
        .hasMessageContaining(
            "beadpool.yaml: agent: usage must be one of none, claude-json, codex-json, json-line,"
                + " was tokens");
    assertThatThrownBy(() -> load("agent:\n  command: [x]\n  limit:\n    patterns: ['(']\n"))
        .hasMessageContaining("beadpool.yaml: agent: limit.patterns: '(' is not a regular");
    assertThatThrownBy(
            () ->
                load("agent:\n  command: [x]\n  limit:\n    patterns: ['resets (?<when>\\d+)']\n"))
        .hasMessageContaining(
            "agent: limit.patterns: 'resets (?<when>\\d+)' has named groups [when]");
    assertThatThrownBy(() -> load("agent:\n  command: [x]\n  limit:\n    margin: soon\n"))
        .hasMessageContaining("agent: limit.margin: 'soon' is not a duration");
    assertThatThrownBy(() -> load("agent:\n  command: [x]\n  limit:\n    default-pause: 0\n"))
        .hasMessageContaining("agent: limit.default-pause must be more than 0");
    assertThatThrownBy(() -> load("agent:\n  command: [x]\n  limit:\n    timezone: Mars/Base\n"))
        .hasMessageContaining("agent: limit.timezone: 'Mars/Base' is not a time zone");
    assertThatThrownBy(() -> load("agent:\n  command: [x]\n  limit:\n    exit-codes: [x]\n"))
        .hasMessageContaining("agent: limit.exit-codes: \"x\" is not a number");
    assertThatThrownBy(() -> load("agent:\n  command: [x]\n  limit:\n    pattern: [x]\n"))
        .hasMessageContaining("agent: limit.pattern: unknown key");
    assertThatThrownBy(() -> load("agent:\n  command: [x]\n  limit: 5\n"))
        .hasMessageContaining("agent: limit: must be a map");
    assertThatThrownBy(() -> load("agent:\n  command: [x]\n  fallback: codex\n"))
        .hasMessageContaining("beadpool.yaml: agent.fallback: names codex, which is not a profile");
    assertThatThrownBy(() -> load("profiles:\n  p:\n    command: [x]\n    fallback: p\n"))
        .hasMessageContaining("profiles.p: fallback must name another profile, was 'p'");
  }

  @Test
  void namedGroupsAreFoundButNotLookbehindsOrEscapedParentheses() {
    assertThat(UsageLimitSettings.namedGroups("(?<reset>a)(?<=b)(?<!c)\\(?<x>d(?<tz>e)"))
        .containsExactly("reset", "tz");
  }
}
