package dev.beadpool.protocol;

/**
 * The coordinator's answer to a claim: a lease, or why not.
 *
 * @param leaseMillis how long the lease lasts without a heartbeat
 */
public record ClaimReply(
    int v,
    String beadId,
    long run,
    boolean granted,
    String leaseId,
    long leaseMillis,
    String reason) {

  public static ClaimReply granted(String beadId, long run, String leaseId, long leaseMillis) {
    return new ClaimReply(Wire.VERSION, beadId, run, true, leaseId, leaseMillis, null);
  }

  public static ClaimReply refused(String beadId, long run, String reason) {
    return new ClaimReply(Wire.VERSION, beadId, run, false, null, 0, reason);
  }
}
