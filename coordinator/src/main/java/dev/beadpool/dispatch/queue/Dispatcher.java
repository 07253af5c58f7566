package dev.beadpool.dispatch.queue;

import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.outbox.Outbox;
import dev.beadpool.dispatch.pause.PauseRouting;
import dev.beadpool.dispatch.state.InFlight;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunLedger;
import java.time.Clock;

/**
 * Starts a run of a bead: recorded in the ledger, in flight, its dispatch message in the outbox
 * until the store commits. A delay (a retry's backoff) becomes the run's not-before time, which the
 * broker honours as a delivery delay.
 */
public final class Dispatcher {
  private final RunLedger ledger;
  private final CoordinatorSettings settings;
  private final Clock clock;
  private final InFlight inFlight;
  private final Outbox outbox;
  private final PauseRouting pauses;

  public Dispatcher(
      RunLedger ledger,
      CoordinatorSettings settings,
      Clock clock,
      InFlight inFlight,
      Outbox outbox,
      PauseRouting pauses) {
    this.ledger = ledger;
    this.settings = settings;
    this.clock = clock;
    this.inFlight = inFlight;
    this.outbox = outbox;
    this.pauses = pauses;
  }

  public void dispatch(String beadId, long delayMillis) {
    Run run =
        ledger.dispatch(
            beadId,
            clock.millis() + delayMillis,
            (bead, attempt) -> pauses.reroute(settings.agents().route(bead, attempt)));
    inFlight.put(run);
    outbox.add(run);
    outbox.happened(PoolEvent.dispatched(run, clock.instant()));
  }
}
