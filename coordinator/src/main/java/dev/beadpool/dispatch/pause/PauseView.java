package dev.beadpool.dispatch.pause;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.beadpool.store.Pause;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * A pause in force, as {@code status} and the API show it.
 *
 * @param profile the profile paused, or null when the whole pool is
 * @param pool whether the whole pool is paused
 * @param since when it began, ISO-8601 UTC
 * @param until when it ends by itself, ISO-8601 UTC; null: when resumed
 * @param reason why: {@code usage limit}, or the reason given by hand
 * @param run the run that hit the usage limit, 0 if none
 * @param worker the worker that ran it
 * @param by who paused by hand
 * @param line the agent's output line that showed the limit
 * @param text the pause in one sentence, as the coordinator's log says it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PauseView(
    String profile,
    boolean pool,
    String since,
    String until,
    String reason,
    long run,
    String worker,
    String by,
    String line,
    String text) {

  public static PauseView of(Pause p, Instant now) {
    return new PauseView(
        p.pool() ? null : p.scope(),
        p.pool(),
        time(p.since()),
        p.until() == null ? null : time(p.until()),
        p.reason(),
        p.run(),
        p.worker(),
        p.actor(),
        p.line(),
        PauseText.began(p, now));
  }

  private static String time(Instant at) {
    return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.MILLIS));
  }
}
