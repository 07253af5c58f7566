package dev.beadpool.dispatch.endpoint;

import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.dispatch.RunOutput;
import dev.beadpool.dispatch.claim.ClaimHandler;
import dev.beadpool.dispatch.deadletter.DeadLetteredDispatches;
import dev.beadpool.dispatch.lease.Heartbeats;
import dev.beadpool.dispatch.lease.Leases;
import dev.beadpool.dispatch.outbox.DispatchPublisher;
import dev.beadpool.dispatch.registry.PresenceHandler;
import dev.beadpool.messaging.BrokerLink;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.Properties;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Clock;

/**
 * The coordinator's sessions and consumers on one broker connection (the first, and each after an
 * outage), one session per consumer, each delivering on its own thread to the duty that handles its
 * messages; and what an outage means for them. The results loop keeps a session of its own ({@link
 * dev.beadpool.dispatch.result.ResultConsumer}).
 */
public final class Endpoints implements BrokerLink.Listener {
  /** The duties that take the broker's messages. */
  public record Handlers(
      ClaimHandler claims,
      Heartbeats heartbeats,
      PresenceHandler presences,
      RunOutput output,
      DeadLetteredDispatches deadLetters) {}

  private final Object lock;
  private final CoordinatorSettings settings;
  private final Clock clock;
  private final Messages messages;
  private final Handlers handlers;
  private final DispatchPublisher publisher;
  private final Leases leases;

  public Endpoints(
      Object lock,
      CoordinatorSettings settings,
      Clock clock,
      Messages messages,
      Handlers handlers,
      DispatchPublisher publisher,
      Leases leases) {
    this.lock = lock;
    this.settings = settings;
    this.clock = clock;
    this.messages = messages;
    this.handlers = handlers;
    this.publisher = publisher;
    this.leases = leases;
  }

  /**
   * The sessions and consumers of one broker connection (the first, and each after an outage).
   * Claims and heartbeats come on multicast addresses: a crashed predecessor's subscription cannot
   * hold them back, so a restarted coordinator answers claims at once.
   */
  @Override
  public void connected(Connection connection) throws JMSException {
    Session dispatch = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    // why anonymous: each profile has its own queue
    MessageProducer producer = dispatch.createProducer(null);
    producer.setDeliveryMode(DeliveryMode.PERSISTENT);
    // why auto-acknowledge: claims are non-persistent and idempotent; one lost is asked again
    Session claims = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageProducer replies = claims.createProducer(null);
    messages
        .bounded(claims, claims.createTopic(Addresses.CLAIMS))
        .listen(m -> handlers.claims().onClaim(claims, replies, m));
    Session heartbeats = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    messages
        .bounded(heartbeats, heartbeats.createTopic(Addresses.HEARTBEATS))
        .listen(handlers.heartbeats()::onHeartbeat);
    // workers' presence, non-persistent and multicast: none is kept while no coordinator listens
    Session presences = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    messages
        .bounded(presences, presences.createTopic(Addresses.PRESENCE))
        .listen(handlers.presences()::onPresence);
    // agents' output, non-persistent: relayed to watchers, the last line kept for `beadpool ps`
    Session output = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    messages
        .bounded(output, output.createTopic(Addresses.OUTPUT))
        .listen(handlers.output()::onOutput);
    // dispatches the broker itself dead-lettered (too many deliveries): not yet explained by us
    // why auto-acknowledge: acknowledged once handled; a crash before redelivers it, and the run
    // has moved on by then (a second note in the dead-letter queue says so)
    Session deadLetters = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    messages
        .bounded(
            deadLetters,
            deadLetters.createQueue(Addresses.DEAD_LETTER),
            Properties.TYPE + " = 'dispatch' AND " + Properties.DEAD_LETTER_REASON + " IS NULL")
        .listen(m -> handlers.deadLetters().onDeadLettered(deadLetters, m));
    synchronized (lock) {
      publisher.attach(dispatch, producer);
      // why: workers reconnect on their own time; give each a lease to be heard from again, and
      // the broker a TTL to drop consumers of ours it may not know are gone
      leases.brokerBack(clock.instant(), settings.lease().plus(settings.broker().connectionTtl()));
    }
  }

  /** The broker is gone: nothing can be sent, and no worker can be heard from until it is back. */
  @Override
  public void lost() {
    synchronized (lock) {
      publisher.detach();
      leases.brokerLost();
    }
  }
}
