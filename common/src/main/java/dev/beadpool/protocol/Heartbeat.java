package dev.beadpool.protocol;

/** A worker still runs this lease's bead. */
public record Heartbeat(int v, String beadId, long run, String leaseId, String worker) {
  public static Heartbeat of(String beadId, long run, String leaseId, String worker) {
    return new Heartbeat(Wire.VERSION, beadId, run, leaseId, worker);
  }
}
