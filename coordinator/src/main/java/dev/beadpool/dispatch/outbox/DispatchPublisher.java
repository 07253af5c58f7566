package dev.beadpool.dispatch.outbox;

import dev.beadpool.bead.Bead;
import dev.beadpool.dispatch.integration.DispatchCode;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.Properties;
import dev.beadpool.protocol.Wire;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunLedger;
import dev.beadpool.store.RunState;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends committed runs to their profile's dispatch queue, and remembers the ones it could not send
 * (broker away, a send refused) until {@link #republish} gets them out. Called under the
 * coordinator's lock; the broker's refusal of an asynchronous send takes the same lock.
 */
public final class DispatchPublisher {
  private static final Logger log = LoggerFactory.getLogger(DispatchPublisher.class);

  private final Object lock;
  private final BeadStore store;
  private final RunLedger ledger;
  private final BdContext bdContext;
  private final Clock clock;
  private final DispatchCode code;

  /** Committed runs whose dispatch message could not be sent yet (broker trouble). */
  private final Set<Long> unpublished = new LinkedHashSet<>();

  private final Map<String, Queue> dispatchQueues = new HashMap<>();
  private Session dispatchSession;
  private MessageProducer dispatchProducer;
  private String storeId;

  public DispatchPublisher(
      Object lock,
      BeadStore store,
      RunLedger ledger,
      BdContext bdContext,
      Clock clock,
      DispatchCode code) {
    this.lock = lock;
    this.store = store;
    this.ledger = ledger;
    this.bdContext = bdContext;
    this.clock = clock;
    this.code = code;
  }

  /** The store's id, for the duplicate-detection id of each dispatch. */
  public void storeId(String storeId) {
    this.storeId = storeId;
  }

  /** The session and producer of a new broker connection. */
  public void attach(Session session, MessageProducer producer) {
    dispatchSession = session;
    dispatchProducer = producer;
    dispatchQueues.clear();
  }

  /** The broker is gone: nothing can be sent until it is back. */
  public void detach() {
    dispatchSession = null;
    dispatchProducer = null;
  }

  /** A committed run whose dispatch is still owed to the broker. */
  public void owe(long run) {
    unpublished.add(run);
  }

  /** A run that needs no dispatch any more. */
  public void forget(long run) {
    unpublished.remove(run);
  }

  /** How many dispatches are owed. */
  public int owed() {
    return unpublished.size();
  }

  /** Sends what is owed, for runs still waiting for a worker. */
  public void republish() {
    for (Long number : List.copyOf(unpublished)) {
      ledger
          .run(number)
          .filter(r -> r.state() == RunState.DISPATCHED)
          .ifPresentOrElse(this::publish, () -> unpublished.remove(number));
    }
  }

  /** How long the broker holds a run's dispatch before a worker may take it (its retry backoff). */
  public long deliveryDelay(Run run) {
    return Math.max(0, run.notBefore() - clock.millis());
  }

  void publish(Run run) {
    if (dispatchSession == null) {
      unpublished.add(run.run()); // why quiet: the broker is away; sent once it is back
      return;
    }
    try {
      Bead bead = store.get(run.beadId());
      DispatchMessage body =
          code.apply(
              run.beadId(),
              DispatchMessage.of(
                  run.beadId(),
                  run.run(),
                  run.attempt(),
                  bead.json(),
                  run.profile(),
                  run.turn(),
                  bdContext.of(bead)));
      TextMessage message = dispatchSession.createTextMessage(Wire.encode(body));
      message.setStringProperty(Properties.TYPE, "dispatch");
      message.setIntProperty(Properties.SCHEMA, Wire.VERSION);
      message.setStringProperty(Properties.BEAD_ID, run.beadId());
      // why cut: properties travel in the message's header, which the broker bounds; the whole
      // title is in the body, this one only shows in the console
      message.setStringProperty(Properties.BEAD_TITLE, Properties.shortTitle(body.title()));
      message.setIntProperty(Properties.ATTEMPT, run.attempt());
      message.setLongProperty(Properties.RUN, run.run());
      message.setStringProperty(Properties.PROFILE, body.profile());
      message.setIntProperty(Properties.TURN, body.turn());
      message.setStringProperty(Properties.DUPLICATE_ID, body.duplicateId(storeId));
      dispatchProducer.setDeliveryDelay(deliveryDelay(run));
      // why: asynchronous, so the coordinator does not wait for the broker's journal; the run is
      // committed already, and a send the broker refuses is published again by the timer
      unpublished.remove(run.run());
      dispatchProducer.send(
          dispatchQueue(body.profile()),
          message,
          DeliveryMode.PERSISTENT,
          body.jmsPriority(),
          0,
          new CompletionListener() {
            @Override
            public void onCompletion(Message sent) {}

            @Override
            public void onException(Message failed, Exception e) {
              synchronized (lock) {
                unpublished.add(run.run());
              }
              log.warn(
                  "dispatch of bead={} run={} refused by the broker ({}); sending it again",
                  run.beadId(),
                  run.run(),
                  e.toString());
            }
          });
      log.info(
          "dispatched bead={} run={} attempt={} turn={} profile={}",
          run.beadId(),
          run.run(),
          run.attempt(),
          run.turn(),
          run.profile());
    } catch (JMSException | RuntimeException e) {
      // why: the run is committed; the timer publishes it again once the broker answers
      unpublished.add(run.run());
      log.warn(
          "dispatch of bead={} run={} not sent yet: {}", run.beadId(), run.run(), e.toString());
    }
  }

  private Queue dispatchQueue(String profile) throws JMSException {
    Queue queue = dispatchQueues.get(profile);
    if (queue == null) {
      queue = dispatchSession.createQueue(Addresses.dispatch(profile));
      dispatchQueues.put(profile, queue);
    }
    return queue;
  }
}
