package dev.beadpool.dispatch.pause;

import dev.beadpool.store.Pause;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Pauses in words, the same in the coordinator's log, watchers' events, {@code status} and a
 * refused claim: {@code profile claude paused until 15:00 UTC: usage limit, seen in run 42 on w-3}.
 */
public final class PauseText {
  private static final DateTimeFormatter MINUTES =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd ").withZone(ZoneOffset.UTC);

  private PauseText() {}

  /** {@code profile claude} or {@code the pool}. */
  public static String what(Pause p) {
    return p.pool() ? "the pool" : "profile " + p.scope();
  }

  /** {@code profile claude paused until 15:00 UTC}. */
  public static String held(Pause p, Instant now) {
    return what(p) + " paused " + until(p.until(), now);
  }

  /**
   * The sentence said when a pause begins: {@code profile claude paused until 15:00 UTC: usage
   * limit, seen in run 42 on w-3}, or {@code the pool paused until resumed: a bill, by alice}.
   */
  public static String began(Pause p, Instant now) {
    return held(p, now) + ": " + p.reason() + source(p);
  }

  /** {@code profile claude resumed: its pause until 15:00 UTC is over} (or {@code by alice}). */
  public static String ended(Pause p, String by, Instant now) {
    return what(p)
        + " resumed"
        + (by == null
            ? ": its pause " + until(p.until(), now) + " is over"
            : " by " + by + " (it was paused " + until(p.until(), now) + ")");
  }

  /** {@code , seen in run 42 on w-3}, or {@code , by alice}. */
  static String source(Pause p) {
    if (p.run() > 0) {
      return ", seen in run " + p.run() + (p.worker() == null ? "" : " on " + p.worker());
    }
    return p.actor() == null ? "" : ", by " + p.actor();
  }

  /**
   * {@code until 15:00 UTC} (today), {@code until 15:00:02 UTC} (not on a whole minute), {@code
   * until 2026-11-30 15:00 UTC} (another day), or {@code until resumed}.
   */
  public static String until(Instant until, Instant now) {
    if (until == null) {
      return "until resumed";
    }
    boolean today =
        LocalDate.ofInstant(until, ZoneOffset.UTC).equals(LocalDate.ofInstant(now, ZoneOffset.UTC));
    boolean wholeMinute = until.getEpochSecond() % 60 == 0 && until.getNano() == 0;
    return "until "
        + (today ? "" : DAY.format(until))
        + (wholeMinute ? MINUTES : SECONDS).format(until)
        + " UTC";
  }
}
