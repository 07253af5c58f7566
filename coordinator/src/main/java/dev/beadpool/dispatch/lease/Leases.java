package dev.beadpool.dispatch.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leases of running runs: when each lapses, whether its worker was heard from since the claim,
 * and until when silence proves nothing (no lease expires before then). Guarded by the
 * coordinator's lock.
 */
public final class Leases {
  private final Duration lease;

  private final Map<Long, Instant> leaseExpiry = new HashMap<>();

  /**
   * Runs whose worker has been heard from since the claim (a heartbeat for the lease): their agent
   * started. A lease that lapses before that is a claim no agent took: released, no attempt spent.
   */
  private final Set<Long> confirmed = new HashSet<>();

  /**
   * No lease expires before this: while the broker is away, and for a lease after it is back or
   * after this process was paused, workers could not have been heard from.
   */
  private Instant silenceProvesNothingUntil = Instant.MIN;

  public Leases(Duration lease) {
    this.lease = lease;
  }

  /** A claim granted (or a running run restored): the lease runs from {@code now}. */
  public void grant(long run, Instant now) {
    leaseExpiry.put(run, now.plus(lease));
  }

  /** A heartbeat for the lease: it runs again from {@code now}, and the agent has started. */
  public void extend(long run, Instant now) {
    leaseExpiry.put(run, now.plus(lease));
    confirmed.add(run);
  }

  /**
   * The run ended: its lease is gone.
   *
   * @return whether its worker had been heard from since the claim
   */
  public boolean end(long run) {
    boolean started = confirmed.remove(run);
    leaseExpiry.remove(run);
    return started;
  }

  /** After a rebuild: a lease for each running run that has none; none for any other. */
  public void keepOnly(Set<Long> running, Instant now) {
    for (Long run : running) {
      leaseExpiry.putIfAbsent(run, now.plus(lease));
    }
    leaseExpiry.keySet().retainAll(running);
    confirmed.retainAll(running);
  }

  /** The runs whose lease lapsed before {@code now}, unless silence proves nothing yet. */
  public List<Long> lapsed(Instant now) {
    List<Long> lapsed = new ArrayList<>();
    for (Map.Entry<Long, Instant> e : List.copyOf(leaseExpiry.entrySet())) {
      if (e.getValue().isBefore(now) && now.isAfter(silenceProvesNothingUntil)) {
        lapsed.add(e.getKey());
      }
    }
    return lapsed;
  }

  /** No lease expires before {@code until}, or before a later time already set. */
  public void silentUntilAtLeast(Instant until) {
    if (silenceProvesNothingUntil.isBefore(until)) {
      silenceProvesNothingUntil = until;
    }
  }

  /** No lease expires before {@code until}. */
  public void silentUntil(Instant until) {
    silenceProvesNothingUntil = until;
  }

  /** The broker is gone: no worker can be heard from until it is back. */
  public void brokerLost() {
    silenceProvesNothingUntil = Instant.MAX;
  }

  /** The broker is back: if it had been lost, silence proves nothing for another {@code grace}. */
  public void brokerBack(Instant now, Duration grace) {
    if (silenceProvesNothingUntil.equals(Instant.MAX)) {
      silenceProvesNothingUntil = now.plus(grace);
    }
  }
}
