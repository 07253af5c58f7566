package dev.beadpool.worker;

import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.ClaimRequest;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.Heartbeat;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.protocol.Wire;
import dev.beadpool.protocol.WorkerPresence;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The coordinator's side of the protocol played by the test over raw JMS: it dispatches, answers
 * claims as told, and records every claim, heartbeat, presence and result the worker sends.
 *
 * <p>Threads: each listener has a session of its own; the test's calls use another, under a lock.
 */
final class ScriptedCoordinator implements AutoCloseable {
  final List<ClaimRequest> claims = new CopyOnWriteArrayList<>();
  final List<RunResult> results = new CopyOnWriteArrayList<>();
  final List<Heartbeat> heartbeats = new CopyOnWriteArrayList<>();
  final List<WorkerPresence> presences = new CopyOnWriteArrayList<>();

  /** How a claim is answered; null leaves it unanswered. By default every claim is granted. */
  volatile Function<ClaimRequest, ClaimReply> answer =
      claim -> ClaimReply.granted(claim.beadId(), claim.run(), leaseOf(claim.run()), 60_000);

  private final Connection connection;
  private final Session session;
  private final MessageProducer producer;

  ScriptedCoordinator(BrokerSettings broker) throws Exception {
    connection = broker.connectionFactory(false).createConnection();
    Session claimSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageProducer replies = claimSession.createProducer(null);
    claimSession
        .createConsumer(claimSession.createTopic(Addresses.CLAIMS))
        .setMessageListener(
            m -> {
              try {
                ClaimRequest claim = Wire.decode(text(m), ClaimRequest.class);
                claims.add(claim);
                ClaimReply reply = answer.apply(claim);
                if (reply != null) {
                  TextMessage r = claimSession.createTextMessage(Wire.encode(reply));
                  r.setJMSCorrelationID(m.getJMSCorrelationID());
                  replies.send(m.getJMSReplyTo(), r);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    record(Session.AUTO_ACKNOWLEDGE, Addresses.RESULTS, false, RunResult.class, results);
    record(Session.AUTO_ACKNOWLEDGE, Addresses.HEARTBEATS, true, Heartbeat.class, heartbeats);
    record(Session.AUTO_ACKNOWLEDGE, Addresses.PRESENCE, true, WorkerPresence.class, presences);
    session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    producer = session.createProducer(null);
    connection.start();
  }

  /** The lease id this coordinator grants for a run. */
  static String leaseOf(long run) {
    return "lease-" + run;
  }

  private <T> void record(int ack, String address, boolean topic, Class<T> type, List<T> into)
      throws Exception {
    Session s = connection.createSession(false, ack);
    s.createConsumer(topic ? s.createTopic(address) : s.createQueue(address))
        .setMessageListener(
            m -> {
              try {
                into.add(Wire.decode(text(m), type));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
  }

  private static String text(Message m) throws Exception {
    return ((TextMessage) m).getText();
  }

  /** Puts a run on its profile's dispatch queue, as the coordinator does. */
  synchronized void dispatch(DispatchMessage dispatch) throws Exception {
    dispatchRaw(Addresses.dispatch(dispatch.profile()), Wire.encode(dispatch));
  }

  /** Puts any text on a dispatch queue. */
  synchronized void dispatchRaw(String queue, String body) throws Exception {
    producer.send(
        session.createQueue(queue),
        session.createTextMessage(body),
        DeliveryMode.PERSISTENT,
        Message.DEFAULT_PRIORITY,
        0);
  }

  /** The next message on the dead-letter queue, or null if none comes in time. */
  synchronized Message deadLetter(Duration wait) throws Exception {
    try (MessageConsumer dlq = session.createConsumer(session.createQueue(Addresses.DEAD_LETTER))) {
      return dlq.receive(wait.toMillis());
    }
  }

  /** The messages waiting on a queue, counted without taking them. */
  synchronized int waiting(String queue) throws Exception {
    var browser = session.createBrowser(session.createQueue(queue));
    try {
      return java.util.Collections.list(browser.getEnumeration()).size();
    } finally {
      browser.close();
    }
  }

  @Override
  public void close() throws Exception {
    connection.close();
  }
}
