package dev.beadpool.worker;

import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.LeaseSecret;
import dev.beadpool.protocol.RunResult;
import jakarta.jms.JMSException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/**
 * Claims asked on a session that failed before the answer came. Each is asked again with its own
 * proof, which gets the same answer, and a grant is released at once (its dispatch went back to the
 * queue with the session, so this worker must not run it). Without this the run would wait a whole
 * lease to be released.
 *
 * <p>Threads: added to and settled by any slot; each slot settles them on its new session.
 */
final class AbandonedClaims {
  private final String workerId;
  private final BooleanSupplier stopping;
  private final Queue<Abandoned> abandoned = new ConcurrentLinkedQueue<>();

  /** A claim asked on a session that failed before the answer came. */
  private record Abandoned(DispatchMessage dispatch, LeaseSecret secret) {}

  AbandonedClaims(String workerId, BooleanSupplier stopping) {
    this.workerId = workerId;
    this.stopping = stopping;
  }

  /** A claim whose answer was lost: the coordinator may have granted it as the session failed. */
  void add(DispatchMessage dispatch, LeaseSecret secret) {
    abandoned.add(new Abandoned(dispatch, secret));
  }

  /** Asks each abandoned claim again and queues a release for every one that was granted. */
  void settle(Claims claims, ResultSender results) throws JMSException {
    for (Abandoned a; (a = abandoned.peek()) != null && !stopping.getAsBoolean(); ) {
      ClaimReply reply = claims.ask(a.dispatch(), a.secret());
      if (reply != null && reply.granted()) {
        results.queue(
            RunResult.released(
                    a.dispatch().beadId(),
                    a.dispatch().run(),
                    reply.leaseId(),
                    workerId,
                    "the claim's answer was lost with the broker connection; released")
                .signed(a.secret()));
      }
      abandoned.remove(a);
    }
  }
}
