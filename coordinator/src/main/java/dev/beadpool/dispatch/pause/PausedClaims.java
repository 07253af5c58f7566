package dev.beadpool.dispatch.pause;

import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.outbox.DispatchPublisher;
import dev.beadpool.dispatch.outbox.Outbox;
import dev.beadpool.dispatch.result.Settlement;
import dev.beadpool.dispatch.state.InFlight;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.ClaimRequest;
import dev.beadpool.store.Pause;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunLedger;
import dev.beadpool.store.RunState;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims of runs whose profile is paused: dispatches already on the broker when the pause began
 * must not start either. The claim is refused and the run released, no attempt spent: the bead
 * waits in the dispatch queue (or goes to its profile's fallback). Under the coordinator's lock.
 */
public final class PausedClaims {
  private static final Logger log = LoggerFactory.getLogger(PausedClaims.class);

  private final RunLedger ledger;
  private final Clock clock;
  private final InFlight inFlight;
  private final PauseBoard board;
  private final DispatchPublisher publisher;
  private final Outbox outbox;
  private final Settlement settlement;

  public PausedClaims(
      RunLedger ledger,
      Clock clock,
      InFlight inFlight,
      PauseBoard board,
      DispatchPublisher publisher,
      Outbox outbox,
      Settlement settlement) {
    this.ledger = ledger;
    this.clock = clock;
    this.inFlight = inFlight;
    this.board = board;
    this.publisher = publisher;
    this.outbox = outbox;
    this.settlement = settlement;
  }

  /**
   * The refusal of a claim of a run not yet started whose profile is paused; empty for any other
   * claim (the ledger decides it: a worker asking again for the run it holds is granted).
   */
  public Optional<ClaimReply> refuse(ClaimRequest request) {
    Run run = inFlight.get(request.beadId());
    if (run == null || run.run() != request.run() || run.state() != RunState.DISPATCHED) {
      return Optional.empty();
    }
    Optional<Pause> pause = board.holding(run.profile());
    if (pause.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    String why = PauseText.held(pause.get(), now);
    RunLedger.Decision decision = ledger.releaseRun(run.run(), why);
    if (decision != null) {
      outbox.happened(PoolEvent.runEnded(decision.run(), PoolEvent.RELEASED, why, now));
      publisher.forget(run.run());
      settlement.settle(decision);
    }
    log.info(
        "claim refused bead={} run={} worker={}: {}; released, no attempt spent",
        request.beadId(),
        request.run(),
        request.worker(),
        why);
    return Optional.of(ClaimReply.refused(request.beadId(), request.run(), why));
  }
}
