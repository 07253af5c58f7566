package dev.beadpool.dispatch.outbox;

import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.store.Run;
import java.util.ArrayList;
import java.util.List;

/**
 * What a change made that must not leave before the store commits it: the runs whose dispatch
 * message is to be sent, and the events for watchers. {@link OutboxFlush} sends both after the
 * commit. Guarded by the coordinator's lock.
 */
public final class Outbox {
  /** Runs committed (or about to be, in a batch) whose dispatch is sent once the store commits. */
  private final List<Run> runs = new ArrayList<>();

  /** Events of changes not committed yet. */
  private final List<PoolEvent> happened = new ArrayList<>();

  public void add(Run run) {
    runs.add(run);
  }

  public void happened(PoolEvent event) {
    happened.add(event);
  }

  /** The runs held, which are no longer held. */
  List<Run> takeRuns() {
    List<Run> taken = List.copyOf(runs);
    runs.clear();
    return taken;
  }

  /** The events held, which are no longer held. */
  List<PoolEvent> takeEvents() {
    List<PoolEvent> taken = List.copyOf(happened);
    happened.clear();
    return taken;
  }

  /** Forgets everything held: memory is being rebuilt from the store. */
  public void clear() {
    runs.clear();
    happened.clear();
  }
}
