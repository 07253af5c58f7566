package dev.beadpool.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadEditor;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureBeadsTest {
  static final Bead ORIGINAL =
      BeadEditor.create("bd-1", "Fix the parser", Instant.parse("2026-11-29T08:00:00Z")).build();

  static Run failed(long run, int attempt, String error) {
    return new Run(
        run,
        "bd-1",
        attempt,
        RunState.FAILED,
        "w-1",
        "l-" + run,
        null,
        0,
        null,
        "2026-11-29T08:0" + run + ":00Z",
        1,
        error,
        null,
        "/logs/" + run,
        "default",
        1,
        null);
  }

  @Test
  void theTitleSaysWhatFailedInOneShortLine() {
    assertThat(FailureBeads.summary(RunEnding.because(RunState.FAILED, "boom\nstack")))
        .isEqualTo("boom");
    assertThat(FailureBeads.summary(new RunEnding(RunState.FAILED, 3, null, null, null)))
        .isEqualTo("exit code 3");
    assertThat(FailureBeads.summary(RunEnding.because(RunState.EXPIRED, " ")))
        .isEqualTo("agent failed");
    assertThat(FailureBeads.summary(RunEnding.because(RunState.FAILED, "x".repeat(80))))
        .hasSize(60)
        .endsWith("…");
  }

  @Test
  void theDescriptionListsEveryFailedAttemptAndTheEndOfTheOutput() {
    RunEnding last =
        new RunEnding(RunState.FAILED, 1, "tests fail", "a".repeat(5_000) + "LAST\n", "/logs/2");

    String text =
        FailureBeads.description(
            ORIGINAL, List.of(failed(1, 1, "timeout\nmore"), failed(2, 2, "tests fail")), last);

    assertThat(text)
        .startsWith("Bead bd-1 (Fix the parser) failed 2 attempts and waits for a human.")
        .contains("Exit code: 1\nError: tests fail\nLog: /logs/2\n")
        .contains("- attempt 1 (run 1) on w-1, failed, exit 1, 2026-11-29T08:01:00Z: timeout")
        .contains("- attempt 2 (run 2) on w-1, failed, exit 1, 2026-11-29T08:02:00Z: tests fail")
        .contains("## Output (last lines)")
        .endsWith("bd-1 then runs again with a fresh attempt budget.");
    String output = text.substring(text.indexOf("```\n") + 4, text.lastIndexOf("\n```"));
    assertThat(output).hasSize(FailureBeads.TAIL_CHARS - 1).endsWith("LAST");
  }

  @Test
  void oneAttemptWithoutOutputSaysSoPlainly() {
    String text =
        FailureBeads.description(
            ORIGINAL, List.of(failed(1, 1, null)), RunEnding.because(RunState.EXPIRED, null));

    assertThat(text)
        .contains("failed 1 attempt and waits")
        .contains("Exit code: none\nError: none\nLog: none\n")
        .doesNotContain("## Output");
  }
}
