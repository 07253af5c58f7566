package dev.beadpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.dispatch.PoolEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTextTest {
  static PoolEvent event(String type, String detail, List<String> lines) {
    return new PoolEvent(
        type,
        "bd-a1",
        7,
        1,
        1,
        "w-1",
        "default",
        null,
        "failed",
        detail,
        lines,
        Instant.parse("2026-11-21T12:00:00Z").toString());
  }

  @Test
  void thePoolsLinesShowControlCharactersTheAgentsOutputKeepsThem() {
    List<String> ended =
        EventText.lines(event(PoolEvent.RUN_ENDED, "boom\u001b[2J\u001b]0;pwned\u0007", null));
    assertThat(ended).singleElement().asString().endsWith("(boom^[[2J^[]0;pwned^G)");

    List<String> output =
        EventText.lines(event(PoolEvent.OUTPUT, null, List.of("\u001b[32mPASS\u001b[0m 12 tests")));
    assertThat(output).containsExactly("│ \u001b[32mPASS\u001b[0m 12 tests");
  }

  @Test
  void aPauseIsOneLineOfNoBeadWithItsSentenceMadeSafe() {
    PoolEvent paused =
        PoolEvent.pause(
            PoolEvent.PAUSED,
            "claude",
            "profile claude paused until 15:00 UTC: usage limit\u001b[2J, seen in run 42 on w-3",
            42,
            "w-3",
            Instant.parse("2026-11-21T12:00:00Z"));

    assertThat(EventText.lines(paused))
        .singleElement()
        .asString()
        .doesNotContain("null")
        .endsWith(
            " profile claude paused until 15:00 UTC: usage limit^[[2J, seen in run 42 on w-3");
  }
}
