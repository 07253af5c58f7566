package dev.beadpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.testhelper.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user meets first, and what went wrong when one tried: a broker given as {@code
 * host:port}, the command list, a list that stops at 50, doctor's report written to a file.
 */
class OperatorMistakesTest {
  @TempDir Path dir;
  Cli cli;

  @BeforeEach
  void setUp() {
    cli = new Cli(dir.resolve("proj"));
  }

  @Test
  void aBrokerGivenWithoutTcpIsAUsageErrorNamingTheFlagAndTheForm() {
    for (Cli.Result r :
        List.of(
            Cli.raw("worker", "--broker", "localhost:61616", "--agent-command", "[\"/bin/true\"]"),
            cli.run("coordinator", "--broker", "localhost:61616"))) {
      String command = r.err();

      assertThat(r.exit()).as(command + ": " + r.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.err())
          .contains("--broker")
          .contains("tcp://HOST:PORT")
          .contains("did you mean tcp://localhost:61616?")
          .doesNotContain("internal error")
          .doesNotContain("Exception")
          .doesNotContain("\tat ");
    }
    Cli.Result badPort =
        Cli.raw("worker", "--broker", "tcp://localhost:x", "--agent-command", "[\"/bin/true\"]");
    assertThat(badPort.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badPort.err()).contains("--broker").contains("port").doesNotContain("Exception");
  }

  @Test
  void theCommandListGivesEachCommandAWholeSentence() {
    Cli.Result help = Cli.raw("--help");

    String commands = help.out().substring(help.out().indexOf("Commands:"));
    commands = commands.substring(0, commands.indexOf("Exit codes"));
    assertThat(commands)
        .doesNotContain("for the\n")
        .doesNotContain("lines with an\n")
        .doesNotContain("%n")
        .contains("update        Change beads.");
    // every entry ends a sentence: its last line ends with a period (or a closing parenthesis)
    String[] entries = commands.strip().split("\n  (?=\\S)");
    assertThat(entries).hasSizeGreaterThan(20);
    for (String entry : List.of(entries).subList(1, entries.length)) {
      assertThat(entry.strip()).as(entry).matches("(?s).*[.)`]$");
    }
  }

  @Test
  void listSaysHowManyMoreBeadsThereAreAndHowToSeeThem() {
    cli.run("import", Corpus.export("reflaxe-elixir-reopened").toString());

    Cli.Result r = cli.run("list");
    Cli.Result all = cli.run("list", "-n", "0");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Showing 50 of 291 beads: 241 more (-n 0 for all");
    assertThat(all.out()).doesNotContain("Showing");
    assertThat(all.out().lines().count()).isEqualTo(292);
  }

  @Test
  void doctorIntoAFileCutsNoLineAndShowsTheEdgeType() {
    cli.run("import", Corpus.export("beads-2026-02").toString());

    Cli.Result r = cli.run("doctor");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .doesNotContain("…")
        .contains("tracks edge to external:gastown:")
        .contains("which is not in the data: it never blocks, and stays in the bead");
  }

  @Test
  void doctorThatExitsOneForUnreadableLinesSaysSo() throws IOException {
    Path file = dir.resolve("issues.jsonl");
    Files.writeString(
        file,
        """
        {"id":"x-1","title":"good","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {not json
        {"id":"x-3","title":"p9","priority":9,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        """);

    Cli.Result r = cli.run("doctor", "--file", file.toString());
    Cli.Result json = cli.run("doctor", "--file", file.toString(), "--json");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out())
        .doesNotContain("no problems found")
        .contains("2 lines of the input could not be read and were skipped (listed above)");
    assertThat(r.err()).contains(file + ":2: not valid JSON").contains(file + ":3: priority");
    assertThat(json.exit()).isEqualTo(1);
    assertThat(json.json())
        .extracting(n -> n.get("check").asText() + ":" + n.get("line").asInt())
        .containsExactly("invalid-line:2", "invalid-line:3");
  }
}
