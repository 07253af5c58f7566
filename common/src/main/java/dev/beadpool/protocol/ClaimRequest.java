package dev.beadpool.protocol;

import java.util.Objects;

/** A worker asks for a run before it starts the agent. */
public record ClaimRequest(int v, String beadId, long run, String worker) {
  public ClaimRequest {
    Objects.requireNonNull(beadId, "beadId");
    Objects.requireNonNull(worker, "worker");
  }

  public static ClaimRequest of(String beadId, long run, String worker) {
    return new ClaimRequest(Wire.VERSION, beadId, run, worker);
  }
}
