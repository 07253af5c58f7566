package dev.beadpool.protocol;

import java.util.List;

/**
 * A worker says it is there, busy or idle: sent when it starts, every heartbeat interval, and once
 * more when it has stopped ({@code leaving}). Non-persistent, on the multicast address {@link
 * Addresses#PRESENCE}, type {@code presence}: useful only live, so none waits for a coordinator
 * that is down. The coordinator shows the pool's workers from these, idle ones included, and tells
 * which profiles have beads waiting that no live worker serves.
 *
 * @param profiles the profiles the worker serves
 * @param slots how many agents it runs at once
 * @param busy how many run now
 * @param openCircuits profiles whose circuit breaker is open on this worker: it takes no beads of
 *     them until the breaker lets a probe through
 * @param leaving the worker has stopped: the last presence it sends
 */
public record WorkerPresence(
    int v,
    String worker,
    List<String> profiles,
    int slots,
    int busy,
    List<String> openCircuits,
    boolean leaving) {

  /** The message type property of a presence on the heartbeat queue. */
  public static final String TYPE = "presence";

  public WorkerPresence {
    profiles = profiles == null ? List.of() : List.copyOf(profiles);
    openCircuits = openCircuits == null ? List.of() : List.copyOf(openCircuits);
  }

  public static WorkerPresence of(
      String worker,
      List<String> profiles,
      int slots,
      int busy,
      List<String> openCircuits,
      boolean leaving) {
    return new WorkerPresence(Wire.VERSION, worker, profiles, slots, busy, openCircuits, leaving);
  }
}
