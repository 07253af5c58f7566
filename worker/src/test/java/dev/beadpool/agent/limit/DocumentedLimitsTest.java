package dev.beadpool.agent.limit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.beadpool.config.AgentConfig;
import dev.beadpool.config.AgentProfile;
import dev.beadpool.config.UsageFormat;
import dev.beadpool.protocol.UsageLimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limit patterns docs/agents.md gives for Claude Code, Codex and an API returning 429, read
 * through beadpool.yaml's own parsing, against the messages users have reported: so the documented
 * profiles keep working as the docs change.
 */
class DocumentedLimitsTest {
  static final Path DOCS = Path.of("..", "docs", "agents.md");
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir Path dir;
  final Map<String, AgentProfile> documented = new LinkedHashMap<>();

  /** Every profile with a limit in the docs' YAML blocks, by name; a later block wins. */
  @BeforeEach
  void readTheDocs() throws Exception {
    Matcher block =
        Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOCS));
    while (block.find()) {
      JsonNode root = YAML.readTree(block.group(1));
      for (var it = root.path("profiles").fields(); it.hasNext(); ) {
        var e = it.next();
        if (e.getValue().has("limit")) {
          ObjectNode profile = ((ObjectNode) e.getValue()).deepCopy();
          profile.remove("fallback"); // why: it names a profile of another block
          profile.remove("escalation");
          Path file = dir.resolve(e.getKey() + ".yaml");
          Files.writeString(file, YAML.writeValueAsString(Map.of("agent", profile)));
          documented.put(e.getKey(), AgentConfig.loadFile(file).profile("default").orElseThrow());
        }
      }
    }
  }

  Optional<Instant> until(String profile, String line) {
    LimitWatch watch =
        new LimitWatch(documented.get(profile).limit(), Clock.fixed(NOW, ZoneOffset.UTC));
    watch.lines(List.of(line));
    return watch.hit(1).map(UsageLimit::until);
  }

  @Test
  void theDocsGiveClaudeCodexAndAnApiTheirLimitAndUsage() {
    assertThat(documented)
        .containsKeys("claude", "claude-opus", "codex", "codex-high", "api-agent");
    assertThat(documented.get("claude").usage()).isEqualTo(UsageFormat.CLAUDE_JSON);
    assertThat(documented.get("claude-opus").limit()).isEqualTo(documented.get("claude").limit());
    assertThat(documented.get("codex").usage()).isEqualTo(UsageFormat.CODEX_JSON);
    assertThat(documented.get("api-agent").usage()).isEqualTo(UsageFormat.JSON_LINE);
  }

  @Test
  void claudeCodesMessagesAreRead() {
    assertThat(until("claude", "You've hit your limit · resets 3pm (America/New_York)"))
        .contains(Instant.parse("2026-11-29T20:00:00Z"));
    assertThat(until("claude", "You've hit your session limit · resets 8:30pm (Asia/Tokyo)"))
        .contains(Instant.parse("2026-11-30T11:30:00Z"));
    assertThat(
            until(
                "claude", "Claude usage limit reached. Your limit will reset at 3pm (Etc/GMT+5)."))
        .contains(Instant.parse("2026-11-29T20:00:00Z"));
    assertThat(until("claude", "Claude AI usage limit reached|1796050800"))
        .contains(Instant.ofEpochSecond(1_796_050_800L));
    assertThat(
            until(
                "claude",
                "{\"type\":\"result\",\"is_error\":true,\"result\":\"You've hit your limit ·"
                    + " resets 3pm\",\"total_cost_usd\":0}"))
        .contains(Instant.parse("2026-11-29T15:00:00Z"));
    assertThat(until("claude", "Approaching usage limit · resets at 2am")).isEmpty();
  }

  @Test
  void codexsMessagesAreRead() {
    assertThat(
            until(
                "codex",
                "■ You've hit your usage limit. Upgrade to Pro"
                    + " (https://openai.com/chatgpt/pricing) or try again in 5 days 22 hours 11"
                    + " minutes."))
        .contains(NOW.plus(Duration.ofDays(5).plusHours(22).plusMinutes(11)));
    assertThat(
            until(
                "codex",
                "You've hit your usage limit. Upgrade to Plus to continue using Codex"
                    + " (https://chatgpt.com/explore/plus), or try again at Jul 5th, 2026 8:19 PM."))
        .contains(NOW.plus(Duration.ofHours(1)));
  }

  @Test
  void anApisRetryAfterIsRead() {
    assertThat(until("api-agent", "HTTP 429 Too Many Requests; retry-after: 30"))
        .contains(NOW.plusSeconds(30));
    assertThat(until("api-agent", "HTTP 429 Too Many Requests"))
        .contains(NOW.plus(Duration.ofMinutes(5)));
    assertThat(until("api-agent", "HTTP 200 OK")).isEmpty();
  }
}
