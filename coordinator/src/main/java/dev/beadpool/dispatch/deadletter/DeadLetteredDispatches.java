package dev.beadpool.dispatch.deadletter;

import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.endpoint.Messages;
import dev.beadpool.dispatch.outbox.DispatchPublisher;
import dev.beadpool.dispatch.outbox.Outbox;
import dev.beadpool.dispatch.outbox.OutboxFlush;
import dev.beadpool.dispatch.result.Settlement;
import dev.beadpool.dispatch.state.Counters;
import dev.beadpool.messaging.DeadLetters;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.Properties;
import dev.beadpool.store.RunLedger;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Clock;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dispatch the broker dead-lettered after its delivery attempts: the run fails with the reason (a
 * retry, in the end a failure bead: never a bead dispatched forever), and the message goes back to
 * the dead-letter queue with that reason for whoever looks. On the dead-letter consumer's thread;
 * changes state under the coordinator's lock.
 */
public final class DeadLetteredDispatches {
  private static final Logger log = LoggerFactory.getLogger(DeadLetteredDispatches.class);

  private final Object lock;
  private final RunLedger ledger;
  private final CoordinatorSettings settings;
  private final Clock clock;
  private final Messages messages;
  private final Counters counters;
  private final DispatchPublisher publisher;
  private final Outbox outbox;
  private final Settlement settlement;
  private final OutboxFlush flush;

  public DeadLetteredDispatches(
      Object lock,
      RunLedger ledger,
      CoordinatorSettings settings,
      Clock clock,
      Messages messages,
      Counters counters,
      DispatchPublisher publisher,
      Outbox outbox,
      Settlement settlement,
      OutboxFlush flush) {
    this.lock = lock;
    this.ledger = ledger;
    this.settings = settings;
    this.clock = clock;
    this.messages = messages;
    this.counters = counters;
    this.publisher = publisher;
    this.outbox = outbox;
    this.settlement = settlement;
    this.flush = flush;
  }

  /** A dispatch from the dead-letter queue that we have not explained yet. */
  public void onDeadLettered(Session session, Message message) {
    try {
      String beadId = message.getStringProperty(Properties.BEAD_ID);
      long run = message.getLongProperty(Properties.RUN);
      String why =
          "the broker dead-lettered the dispatch after its delivery attempts, no worker having"
              + " taken it";
      String outcome = fail(beadId, run, why);
      try (MessageProducer producer =
          session.createProducer(session.createQueue(Addresses.DEAD_LETTER))) {
        producer.send(
            DeadLetters.copy(
                session,
                message,
                Addresses.dispatch(message.getStringProperty(Properties.PROFILE)),
                why + "; " + outcome,
                messages.maxBytes()));
      }
    } catch (Exception e) {
      log.warn(
          "dead-lettered dispatch {} not explained in the queue: {}",
          Messages.id(message),
          e.toString());
    }
  }

  /** Brings a run whose dispatch was dead-lettered to a known state; says what became of it. */
  String fail(String beadId, long run, String why) {
    synchronized (lock) {
      counters.countDeadLettered();
      RunLedger.Decision decision = ledger.dispatchDeadLettered(run, settings.maxAttempts(), why);
      if (decision == null) {
        return "run " + run + " had moved on already";
      }
      log.warn("bead={} run={}: {}; the run failed", beadId, run, why);
      publisher.forget(run);
      outbox.happened(
          PoolEvent.runEnded(decision.run(), Settlement.outcome(decision), why, clock.instant()));
      settlement.settle(decision);
      flush.flush();
      return "run " + run + " failed (" + decision.effect().name().toLowerCase(Locale.ROOT) + ")";
    }
  }
}
