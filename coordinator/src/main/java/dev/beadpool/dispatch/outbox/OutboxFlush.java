package dev.beadpool.dispatch.outbox;

import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.PoolEvents;
import dev.beadpool.dispatch.recovery.Recovery;
import dev.beadpool.dispatch.state.GraphMirror;
import dev.beadpool.store.Run;
import java.util.List;

/**
 * Sends what the outbox holds once the store has committed it: the dispatches, then the events. If
 * the graph disagreed with the store meanwhile, memory is rebuilt first. Called under the
 * coordinator's lock, after each change.
 */
public final class OutboxFlush {
  private final Outbox outbox;
  private final GraphMirror graph;
  private final Recovery recovery;
  private final DispatchPublisher publisher;
  private final PoolEvents events;

  public OutboxFlush(
      Outbox outbox,
      GraphMirror graph,
      Recovery recovery,
      DispatchPublisher publisher,
      PoolEvents events) {
    this.outbox = outbox;
    this.graph = graph;
    this.recovery = recovery;
    this.publisher = publisher;
    this.events = events;
  }

  /** Publishes what was dispatched, after the store committed it. */
  public void flush() {
    List<PoolEvent> committed = outbox.takeEvents();
    if (graph.takeResyncNeeded()) {
      recovery.rebuild();
    }
    List<Run> runs = outbox.takeRuns();
    runs.forEach(publisher::publish);
    committed.forEach(events::publish);
  }
}
