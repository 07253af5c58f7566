package dev.beadpool.dispatch.state;

import dev.beadpool.store.Run;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The runs in flight (dispatched or running), by bead id: at most one per bead. Guarded by the
 * coordinator's lock, like every other piece of its state.
 */
public final class InFlight {
  private final Map<String, Run> runs = new HashMap<>();

  public Run get(String beadId) {
    return runs.get(beadId);
  }

  public boolean contains(String beadId) {
    return runs.containsKey(beadId);
  }

  public void put(Run run) {
    runs.put(run.beadId(), run);
  }

  public void remove(String beadId) {
    runs.remove(beadId);
  }

  public void clear() {
    runs.clear();
  }

  public int size() {
    return runs.size();
  }

  public boolean isEmpty() {
    return runs.isEmpty();
  }

  /** The runs, as a live view: do not keep it past the lock. */
  public Collection<Run> all() {
    return runs.values();
  }
}
