package dev.beadpool.dispatch.lease;

import dev.beadpool.dispatch.budget.BudgetGate;
import dev.beadpool.dispatch.endpoint.Messages;
import dev.beadpool.dispatch.registry.WorkerRegistry;
import dev.beadpool.dispatch.state.InFlight;
import dev.beadpool.protocol.Heartbeat;
import dev.beadpool.protocol.Wire;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunLedger;
import dev.beadpool.store.RunState;
import jakarta.jms.Message;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's heartbeat for a run: the worker is alive, and the run's lease (if it is the current
 * one) runs again from now. On the heartbeat consumer's thread; under the coordinator's lock.
 */
public final class Heartbeats {
  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

  private final Object lock;
  private final Clock clock;
  private final Messages messages;
  private final WorkerRegistry workers;
  private final InFlight inFlight;
  private final Leases leases;
  private final RunLedger ledger;
  private final BudgetGate budget;

  public Heartbeats(
      Object lock,
      Clock clock,
      Messages messages,
      WorkerRegistry workers,
      InFlight inFlight,
      Leases leases,
      RunLedger ledger,
      BudgetGate budget) {
    this.lock = lock;
    this.clock = clock;
    this.messages = messages;
    this.workers = workers;
    this.inFlight = inFlight;
    this.leases = leases;
    this.ledger = ledger;
    this.budget = budget;
  }

  public void onHeartbeat(Message message) {
    try {
      Heartbeat beat = Wire.decode(messages.text(message), Heartbeat.class);
      heartbeat(beat);
    } catch (Wire.WireException e) {
      log.warn("unreadable heartbeat {} dropped: {}", Messages.id(message), e.getMessage());
    } catch (Exception e) {
      log.warn("heartbeat {} not applied", Messages.id(message), e);
    }
  }

  public void heartbeat(Heartbeat beat) {
    synchronized (lock) {
      workers.heardFrom(beat.worker());
      Run run = inFlight.get(beat.beadId());
      if (run != null
          && run.run() == beat.run()
          && run.state() == RunState.RUNNING
          && beat.leaseId() != null
          && beat.leaseId().equals(run.leaseId())) {
        leases.extend(run.run(), clock.instant());
        // why: the run's spend so far counts toward budgets before its result comes
        if (ledger.usageSoFar(run.run(), run.leaseId(), beat.usage())) {
          budget.spendChanged();
        }
      }
    }
  }
}
