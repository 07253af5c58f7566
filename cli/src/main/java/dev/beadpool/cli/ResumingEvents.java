package dev.beadpool.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The coordinator's event stream for some beads, opened again when it is lost: a coordinator that
 * restarts (or its API) is found again, through {@code .beadpool/coordinator.json} or {@code
 * --server}, for up to {@code reconnectFor}. The stream starts with a snapshot of each bead, so
 * nothing that ended meanwhile is missed; agent output written while no stream was open is in the
 * run's log.
 */
final class ResumingEvents implements AutoCloseable {
  /** How often to look for the coordinator again. */
  static final Duration RETRY_EVERY = Duration.ofMillis(500);

  private final Supplier<CoordinatorClient> coordinator;
  private final List<String> beads;
  private final Duration reconnectFor;
  private final PrintWriter err;
  private volatile EventStream stream;
  private volatile boolean closed;
  private volatile int resumes;

  /**
   * Opens the stream: with no coordinator now, fails at once (exit 2).
   *
   * @param reconnectFor how long to look for the coordinator after the stream is lost; zero: not at
   *     all
   * @param err where a lost and a resumed stream are told
   */
  ResumingEvents(
      Supplier<CoordinatorClient> coordinator,
      List<String> beads,
      Duration reconnectFor,
      PrintWriter err) {
    this.coordinator = coordinator;
    this.beads = List.copyOf(beads);
    this.reconnectFor = reconnectFor;
    this.err = err;
    this.stream = coordinator.get().events(this.beads);
  }

  /**
   * The next event, waiting as long as it takes and reconnecting as needed.
   *
   * @throws EventStream.Lost if the stream is lost and no coordinator answers within {@code
   *     reconnectFor}
   */
  EventStream.Received next() {
    while (true) {
      try {
        return stream.next();
      } catch (EventStream.Lost lost) {
        if (closed || reconnectFor.isZero() || reconnectFor.isNegative()) {
          throw lost;
        }
        stream = reconnect(lost);
      }
    }
  }

  private EventStream reconnect(EventStream.Lost lost) {
    stream.close();
    err.println(
        "beadpool: "
            + lost.what()
            + "; looking for the coordinator again for up to "
            + dev.beadpool.config.Durations.format(reconnectFor));
    err.flush();
    long deadline = System.nanoTime() + reconnectFor.toNanos();
    CoordinatorClient.Unavailable last = null;
    while (!closed && System.nanoTime() < deadline) {
      try {
        EventStream resumed = coordinator.get().events(beads);
        resumes++;
        err.println("beadpool: events resumed");
        err.flush();
        return resumed;
      } catch (CoordinatorClient.Unavailable e) {
        last = e;
      }
      try {
        Thread.sleep(RETRY_EVERY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw lost;
      }
    }
    throw new EventStream.Lost(
        "no coordinator came back within "
            + dev.beadpool.config.Durations.format(reconnectFor)
            + " after the event stream was lost"
            + (last == null ? "" : " (last: " + last.getMessage() + ")"),
        "; run the command again once it runs");
  }

  /** How many times the stream was lost and opened again: each time, a snapshot comes first. */
  int resumes() {
    return resumes;
  }

  @Override
  public void close() {
    closed = true;
    stream.close();
  }
}
