package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.bead.Timestamps;
import dev.beadpool.config.BudgetConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Failure beads: when a bead's attempts are spent, a bead for a human that says what failed, and
 * that the failed bead depends on, so it waits until the human closes it.
 */
final class FailureBeads {
  /** The label of failure beads; such beads are for humans and block the bead that failed. */
  static final String LABEL = "failure";

  /** Output kept in a failure bead's description, in characters from the end. */
  static final int TAIL_CHARS = 4_000;

  private final Clock clock;
  private final BeadCreation creation;

  FailureBeads(Clock clock, BeadCreation creation) {
    this.clock = clock;
    this.creation = creation;
  }

  /** Creates the failure bead for the last failed run of a bead, and makes the bead wait for it. */
  Bead create(Connection c, Run last, RunEnding ending) throws SQLException {
    Bead original = BeadRows.require(c, last.beadId());
    List<Run> attempts = RunRows.failedAttempts(c, last.beadId());
    Bead failure =
        creation.create(
            c,
            new NewBead(
                "FAILURE: " + summary(ending) + " in " + original.id(),
                description(original, attempts, ending),
                "bug",
                original.priority(),
                List.of(LABEL),
                null,
                List.of(),
                null,
                null),
            null,
            "beadpool");
    wire(c, original.id(), failure.id());
    return failure;
  }

  /**
   * Creates the failure bead for a bead whose spend reached its cap ({@code budgets.bead}), and
   * makes the bead wait for it.
   *
   * @param why spend and cap, as {@code spent $5.20 of its $5.00 cap}
   * @param runs every run of the bead, with what each spent
   */
  Bead createForCap(Connection c, Run last, String why, List<Run> runs) throws SQLException {
    Bead original = BeadRows.require(c, last.beadId());
    Bead failure =
        creation.create(
            c,
            new NewBead(
                "FAILURE: " + why + " in " + original.id(),
                capDescription(original, why, runs),
                "bug",
                original.priority(),
                List.of(LABEL),
                null,
                List.of(),
                null,
                null),
            null,
            "beadpool");
    wire(c, original.id(), failure.id());
    return failure;
  }

  /** The description of a spending cap's failure bead: spend and cap, and each run's spend. */
  static String capDescription(Bead original, String why, List<Run> runs) {
    StringBuilder d = new StringBuilder();
    d.append("Bead ")
        .append(original.id())
        .append(" (")
        .append(original.title())
        .append(") ")
        .append(why)
        .append(" (budgets.bead in beadpool.yaml): it gets no further attempt or turn and waits")
        .append(" for a human.\n\n## Runs\n");
    for (Run r : runs) {
      d.append("- run ")
          .append(r.run())
          .append(" (attempt ")
          .append(r.attempt())
          .append(", turn ")
          .append(r.turn())
          .append(", profile ")
          .append(r.profile())
          .append(") on ")
          .append(r.worker())
          .append(", ")
          .append(r.state().name().toLowerCase())
          .append(": ")
          .append(spent(r))
          .append('\n');
    }
    d.append("\nRaise the cap, then close this bead: ")
        .append(original.id())
        .append(" runs again. While its spend is over the cap, the coordinator holds it back.");
    return d.toString();
  }

  private static String spent(Run r) {
    if (r.usage().isEmpty()) {
      return "no usage reported";
    }
    return BudgetConfig.dollars(r.usage().costUsd())
        + ", "
        + r.usage().tokens()
        + " tokens"
        + (r.usage().model() == null ? "" : " (" + r.usage().model() + ")");
  }

  /** The original now depends on the failure bead: it waits for the human. */
  private void wire(Connection c, String originalId, String failureId) throws SQLException {
    Instant now = clock.instant();
    Bead current = BeadRows.require(c, originalId);
    List<Dependency> deps = new ArrayList<>(current.dependencies());
    deps.add(
        Dependency.create(
            current.id(), failureId, DependencyType.BLOCKS, Timestamps.format(now), "beadpool"));
    try (RowWriter w = new RowWriter(c, clock)) {
      w.change(current, current.edit().dependencies(deps).touch(now).build(), "beadpool");
      w.history(current.id(), "beadpool", "failure_bead", null, failureId);
    }
  }

  /** What failed, in at most 60 characters, for the failure bead's title. */
  static String summary(RunEnding ending) {
    Integer exitCode = ending.exitCode();
    String error = ending.error();
    String summary =
        error != null && !error.isBlank()
            ? RunEnd.firstLine(error)
            : exitCode != null ? "exit code " + exitCode : "agent failed";
    return summary.length() > 60 ? summary.substring(0, 59) + "…" : summary;
  }

  /** The failure bead's description: the last failure, every failed attempt, the output's end. */
  static String description(Bead original, List<Run> attempts, RunEnding ending) {
    Integer exitCode = ending.exitCode();
    String error = ending.error();
    String tail = ending.tail();
    String log = ending.log();
    StringBuilder d = new StringBuilder();
    d.append("Bead ")
        .append(original.id())
        .append(" (")
        .append(original.title())
        .append(") failed ")
        .append(attempts.size())
        .append(" attempt")
        .append(attempts.size() == 1 ? "" : "s")
        .append(" and waits for a human.\n\n");
    d.append("Exit code: ").append(exitCode == null ? "none" : exitCode).append('\n');
    d.append("Error: ").append(error == null ? "none" : error).append('\n');
    d.append("Log: ").append(log == null ? "none" : log).append("\n\n## Attempts\n");
    for (Run a : attempts) {
      d.append("- attempt ")
          .append(a.attempt())
          .append(" (run ")
          .append(a.run())
          .append(") on ")
          .append(a.worker())
          .append(", ")
          .append(a.state().name().toLowerCase())
          .append(a.exitCode() == null ? "" : ", exit " + a.exitCode())
          .append(a.endedAt() == null ? "" : ", " + a.endedAt())
          .append(a.error() == null ? "" : ": " + RunEnd.firstLine(a.error()))
          .append(a.logPath() == null ? "" : " (log " + a.logPath() + ")")
          .append('\n');
    }
    if (tail != null && !tail.isBlank()) {
      String t = tail.length() > TAIL_CHARS ? tail.substring(tail.length() - TAIL_CHARS) : tail;
      d.append("\n## Output (last lines)\n```\n").append(t.stripTrailing()).append("\n```\n");
    }
    d.append("\nClose this bead once the cause is fixed: ")
        .append(original.id())
        .append(" then runs again with a fresh attempt budget.");
    return d.toString();
  }
}
