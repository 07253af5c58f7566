package dev.beadpool.cli;

import dev.beadpool.bead.TerminalText;
import dev.beadpool.dispatch.PoolEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Pool events as lines for people: {@code 12:01:02 demo-a.1 claimed by w-1 (profile ...)}. */
final class EventText {
  /** Prefix of agent output lines. */
  static final String OUTPUT_PREFIX = "│ ";

  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private EventText() {}

  /** The lines that show {@code e}: one, or an output event's lines. */
  static List<String> lines(PoolEvent e) {
    List<String> lines = new ArrayList<>();
    if (PoolEvent.PAUSED.equals(e.type()) || PoolEvent.RESUMED.equals(e.type())) {
      // why: the pool's own event, of no bead; its detail is the whole sentence
      lines.add(TerminalText.safe(time(e.at()) + " " + e.detail()));
      return lines;
    }
    String head = time(e.at()) + " " + e.beadId() + " ";
    switch (e.type()) {
      case PoolEvent.SNAPSHOT -> {
        lines.add(head + snapshot(e));
        if (e.lines() != null) {
          e.lines().forEach(l -> lines.add(OUTPUT_PREFIX + l));
        }
      }
      case PoolEvent.DISPATCHED ->
          lines.add(
              head
                  + "dispatched as run "
                  + e.run()
                  + " "
                  + runDetails(e)
                  + (e.detail() == null ? "" : ", " + e.detail()));
      case PoolEvent.CLAIMED -> lines.add(head + "claimed by " + e.worker() + " " + runDetails(e));
      case PoolEvent.HELD -> lines.add(head + "held: " + e.detail());
      case PoolEvent.STALLED ->
          lines.add(head + "run " + e.run() + " waits on its queue: " + e.detail());
      case PoolEvent.OUTPUT -> {
        if (e.lines() != null) {
          e.lines().forEach(l -> lines.add(OUTPUT_PREFIX + l));
        }
      }
      case PoolEvent.RUN_ENDED ->
          lines.add(
              head
                  + "run "
                  + e.run()
                  + (e.worker() == null ? "" : " on " + e.worker())
                  + " ended: "
                  + e.outcome()
                  + (e.detail() == null ? "" : " (" + e.detail() + ")"));
      case PoolEvent.STATUS -> lines.add(head + "is now " + e.status());
      case PoolEvent.CLOSED -> lines.add(head + "closed");
      case PoolEvent.FAILURE_BEAD -> lines.add(head + failed(e.detail()));
      case PoolEvent.MERGE -> lines.add(head + merge(e));
      default -> lines.add(head + e.type());
    }
    // why: the pool's own lines carry errors and names from agents and workers; the agent's
    // output lines are shown as it wrote them, as tail would
    lines.replaceAll(l -> l.startsWith(OUTPUT_PREFIX) ? l : TerminalText.safe(l));
    return lines;
  }

  /** What the merge queue did with the bead's pushed work. */
  private static String merge(PoolEvent e) {
    String detail = e.detail() == null ? "" : e.detail();
    return switch (e.outcome() == null ? "" : e.outcome()) {
      case PoolEvent.MERGED -> "merged as " + detail;
      case PoolEvent.SENT_BACK -> "sent back to an agent: " + detail;
      case PoolEvent.PR_CREATED -> "pull request opened: " + detail;
      default -> "merge queue: " + e.outcome() + " " + detail;
    };
  }

  private static String snapshot(PoolEvent e) {
    if (PoolEvent.FAILED.equals(e.outcome()) && !"closed".equals(e.status())) {
      return failed(e.detail());
    }
    if (e.run() == 0) {
      return "is " + e.status() + (e.detail() == null ? "" : ": " + e.detail());
    }
    return e.worker() == null
        ? "is "
            + e.status()
            + ": run "
            + e.run()
            + " waits for a worker "
            + runDetails(e)
            + (e.detail() == null ? "" : ": " + e.detail())
        : "is " + e.status() + ": run " + e.run() + " on " + e.worker() + " " + runDetails(e);
  }

  private static String failed(String failureBead) {
    return "failed for good: failure bead "
        + failureBead
        + " blocks it (close "
        + failureBead
        + " to run it again)";
  }

  /** {@code (profile engineer, attempt 1, turn 1)}. */
  private static String runDetails(PoolEvent e) {
    return "("
        + (e.profile() == null ? "" : "profile " + e.profile() + ", ")
        + "attempt "
        + e.attempt()
        + ", turn "
        + e.turn()
        + ")";
  }

  /** {@code 12:01:02} in this machine's time zone. */
  static String time(String at) {
    try {
      return CLOCK.format(Instant.parse(at));
    } catch (DateTimeParseException | NullPointerException e) {
      return "--:--:--";
    }
  }

  /** {@code 45s}, {@code 3m 05s}, {@code 2h 01m}. */
  static String elapsed(long millis) {
    long s = millis / 1000;
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm %02ds", s / 60, s % 60);
    }
    return String.format("%dh %02dm", s / 3600, s / 60 % 60);
  }
}
