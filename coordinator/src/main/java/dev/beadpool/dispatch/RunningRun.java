package dev.beadpool.dispatch;

import dev.beadpool.bead.Timestamps;
import dev.beadpool.store.Run;
import java.time.Instant;

/**
 * A run a worker holds now, for {@code beadpool ps}.
 *
 * @param startedAt when the worker claimed it (RFC 3339)
 * @param elapsedMillis since then
 * @param lastLine the last non-blank line its agent printed, if any arrived yet
 */
public record RunningRun(
    String beadId,
    String title,
    long run,
    int attempt,
    int turn,
    String worker,
    String profile,
    String startedAt,
    long elapsedMillis,
    String lastLine) {

  static RunningRun of(Run run, String title, Instant now, String lastLine) {
    Instant started = Timestamps.parseOrNull(run.startedAt());
    long elapsed = started == null ? 0 : Math.max(0, now.toEpochMilli() - started.toEpochMilli());
    return new RunningRun(
        run.beadId(),
        title,
        run.run(),
        run.attempt(),
        run.turn(),
        run.worker(),
        run.profile(),
        run.startedAt(),
        elapsed,
        lastLine);
  }
}
