package dev.beadpool.protocol;

import java.util.Objects;

/**
 * A worker asks for a run before it starts the agent.
 *
 * @param leaseProof the {@link LeaseSecret#proof()} of the secret this claim's results will carry:
 *     a claim repeated with the same proof is answered the same way, one with another proof is
 *     refused while the run is held
 */
public record ClaimRequest(int v, String beadId, long run, String worker, String leaseProof) {
  public ClaimRequest {
    Objects.requireNonNull(beadId, "beadId");
    Objects.requireNonNull(worker, "worker");
  }

  public static ClaimRequest of(String beadId, long run, String worker, LeaseSecret secret) {
    return new ClaimRequest(Wire.VERSION, beadId, run, worker, secret.proof());
  }
}
