package dev.beadpool.protocol;

/**
 * A worker still runs this lease's bead.
 *
 * @param usage what the run has spent so far, as its agent reported it, or null
 */
public record Heartbeat(
    int v, String beadId, long run, String leaseId, String worker, Usage usage) {
  public static Heartbeat of(String beadId, long run, String leaseId, String worker) {
    return new Heartbeat(Wire.VERSION, beadId, run, leaseId, worker, null);
  }

  /** This heartbeat carrying the run's usage so far. */
  public Heartbeat withUsage(Usage spent) {
    return new Heartbeat(v, beadId, run, leaseId, worker, spent);
  }
}
