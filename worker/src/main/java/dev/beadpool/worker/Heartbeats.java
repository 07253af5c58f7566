package dev.beadpool.worker;

import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.Heartbeat;
import dev.beadpool.protocol.Properties;
import dev.beadpool.protocol.Usage;
import dev.beadpool.protocol.Wire;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this worker's leases alive: every beat heartbeats each running run and each result not yet
 * confirmed by the broker, and sends the worker's {@link Presence}.
 *
 * <p>Threads: {@link #beat()} runs on the worker's one heartbeat thread ({@code worker-heartbeat})
 * with a session of its own, made anew on each connection; the session is used only under this
 * object's lock. A run's first heartbeat goes on its slot's session instead ({@link #first}).
 */
final class Heartbeats {
  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

  private final String workerId;
  private final BooleanSupplier connected;
  private final BooleanSupplier stopping;
  private final Map<Long, Running> running;
  private final ResultSender results;
  private final Presence presence;
  private Session session;
  private MessageProducer heartbeats;
  private MessageProducer presences;

  Heartbeats(
      String workerId,
      BooleanSupplier connected,
      BooleanSupplier stopping,
      Map<Long, Running> running,
      ResultSender results,
      Presence presence) {
    this.workerId = workerId;
    this.connected = connected;
    this.stopping = stopping;
    this.running = running;
    this.results = results;
    this.presence = presence;
  }

  /** The heartbeat session, on each new connection. */
  void open(Connection connection) throws JMSException {
    Session beats = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageProducer heartbeat = beats.createProducer(beats.createTopic(Addresses.HEARTBEATS));
    heartbeat.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
    MessageProducer presence = beats.createProducer(beats.createTopic(Addresses.PRESENCE));
    presence.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
    synchronized (this) {
      session = beats;
      heartbeats = heartbeat;
      presences = presence;
    }
  }

  /** The broker is gone, and the session with it. */
  synchronized void lost() {
    session = null;
  }

  /** One beat: the presence, then a heartbeat for every run whose lease this worker holds. */
  void beat() {
    if (!connected.getAsBoolean()) {
      return; // why quiet: the link says when the broker is lost and when it is back
    }
    if (!stopping.getAsBoolean()) {
      try {
        announce();
      } catch (Throwable t) {
        // why apart: a presence lost costs a line in status; the leases below must still go
        log.warn("worker={} presence not sent: {}", workerId, t.toString());
      }
    }
    try {
      synchronized (this) {
        if (session == null) {
          return;
        }
        for (Running r : running.values()) {
          heartbeats.send(
              message(session, r.dispatch.beadId(), r.dispatch.run(), r.leaseId, r.usageSoFar()));
        }
        for (ResultSender.Unsent u : results.unsent()) {
          heartbeats.send(
              message(
                  session,
                  u.result.beadId(),
                  u.result.run(),
                  u.result.leaseId(),
                  u.result.usage()));
        }
      }
    } catch (Throwable t) {
      log.warn("worker={} heartbeat not sent: {}", workerId, t.toString());
    }
  }

  /** Sends the presence now, if there is a session. */
  synchronized void announce() throws JMSException {
    if (session == null) {
      return;
    }
    presence.announce(session, presences);
  }

  /**
   * The last word, once the heartbeat thread has stopped: the presence that says this worker is
   * gone, then {@code closeLink}, with the session held so nothing is sent between the two.
   */
  synchronized void farewell(Runnable closeLink) {
    try {
      // why: the coordinator drops this worker from the pool at once, not after a lease
      announce();
    } catch (JMSException | RuntimeException e) {
      log.debug("worker={} could not say it is leaving: {}", workerId, e.toString());
    }
    closeLink.run();
    session = null;
  }

  /** A heartbeat on a slot's own session: the first one of a run, sent as its agent starts. */
  void first(Session session, MessageProducer producer, Running r) throws JMSException {
    producer.send(
        session.createTopic(Addresses.HEARTBEATS),
        message(session, r.dispatch.beadId(), r.dispatch.run(), r.leaseId, null),
        DeliveryMode.NON_PERSISTENT,
        Message.DEFAULT_PRIORITY,
        0);
  }

  /**
   * A heartbeat message.
   *
   * @param usage what the run has reported spending so far, or null
   */
  private TextMessage message(Session session, String beadId, long run, String leaseId, Usage usage)
      throws JMSException {
    TextMessage m =
        session.createTextMessage(
            Wire.encode(Heartbeat.of(beadId, run, leaseId, workerId).withUsage(usage)));
    m.setStringProperty(Properties.TYPE, "heartbeat");
    m.setStringProperty(Properties.BEAD_ID, beadId);
    return m;
  }
}
