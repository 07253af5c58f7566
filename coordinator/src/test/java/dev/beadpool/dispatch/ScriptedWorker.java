package dev.beadpool.dispatch;

import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.ClaimRequest;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.Heartbeat;
import dev.beadpool.protocol.LeaseSecret;
import dev.beadpool.protocol.Properties;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.protocol.Wire;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A worker played by the test over raw JMS, so each step of the protocol can be provoked. */
final class ScriptedWorker implements AutoCloseable {
  final String name;
  private final Connection connection;
  private final Session session;
  private final MessageConsumer dispatch;
  private final MessageProducer producer;
  private final TemporaryQueue replies;
  private final MessageConsumer replyConsumer;

  ScriptedWorker(BrokerSettings broker, String name) throws Exception {
    this.name = name;
    connection = broker.connectionFactory(false).createConnection();
    session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
    dispatch = session.createConsumer(session.createQueue(Addresses.DISPATCH));
    producer = session.createProducer(null);
    replies = session.createTemporaryQueue();
    replyConsumer = session.createConsumer(replies);
    connection.start();
  }

  /**
   * Takes the next dispatch and hands it back unacknowledged, as a worker that dies before its
   * claim does; false if none comes in time.
   */
  boolean takeAndGiveBack(Duration wait) throws Exception {
    Message m = dispatch.receive(wait.toMillis());
    if (m == null) {
      return false;
    }
    session.recover();
    return true;
  }

  /** The next dispatch, acknowledged; null if none comes in time. */
  DispatchMessage take(Duration wait) throws Exception {
    Message m = dispatch.receive(wait.toMillis());
    if (m == null) {
      return null;
    }
    m.acknowledge();
    return Wire.decode(((TextMessage) m).getText(), DispatchMessage.class);
  }

  /** The secret of each run this worker claimed: asked again, a claim carries the same one. */
  private final Map<Long, LeaseSecret> secrets = new ConcurrentHashMap<>();

  /**
   * Claims a run as a real worker does: a granted claim is followed at once by a heartbeat, which
   * tells the coordinator that the agent started.
   */
  ClaimReply claim(String beadId, long run) throws Exception {
    ClaimReply reply = claimOnly(beadId, run);
    if (reply.granted()) {
      heartbeat(beadId, run, reply.leaseId());
    }
    return reply;
  }

  /** Claims a run and does nothing more: as if the answer never reached a worker that ran it. */
  ClaimReply claimOnly(String beadId, long run) throws Exception {
    return claim(beadId, run, secrets.computeIfAbsent(run, r -> LeaseSecret.generate()));
  }

  ClaimReply claim(String beadId, long run, LeaseSecret secret) throws Exception {
    TextMessage request =
        session.createTextMessage(Wire.encode(ClaimRequest.of(beadId, run, name, secret)));
    request.setJMSReplyTo(replies);
    String correlation = UUID.randomUUID().toString();
    request.setJMSCorrelationID(correlation);
    producer.send(session.createTopic(Addresses.CLAIMS), request, DeliveryMode.PERSISTENT, 4, 0);
    Message reply = replyConsumer.receive(10_000);
    if (reply == null) {
      throw new AssertionError("no claim reply for " + beadId + " run " + run);
    }
    reply.acknowledge();
    return Wire.decode(((TextMessage) reply).getText(), ClaimReply.class);
  }

  /** Sends a result, signed with the secret of this worker's claim of its run if it has one. */
  void send(RunResult result) throws Exception {
    LeaseSecret secret = secrets.get(result.run());
    sendAsIs(secret == null || result.leaseSecret() != null ? result : result.signed(secret));
  }

  /** Sends a result as it is: unsigned, or signed by someone else. */
  void sendAsIs(RunResult result) throws Exception {
    TextMessage m = session.createTextMessage(Wire.encode(result));
    m.setStringProperty(Properties.DUPLICATE_ID, UUID.randomUUID().toString());
    producer.send(session.createQueue(Addresses.RESULTS), m, DeliveryMode.PERSISTENT, 4, 0);
  }

  void sendRawToTopic(String topic, String body) throws Exception {
    producer.send(
        session.createTopic(topic), session.createTextMessage(body), DeliveryMode.PERSISTENT, 4, 0);
  }

  void sendRaw(String queue, String body) throws Exception {
    producer.send(
        session.createQueue(queue), session.createTextMessage(body), DeliveryMode.PERSISTENT, 4, 0);
  }

  void heartbeat(String beadId, long run, String lease) throws Exception {
    producer.send(
        session.createTopic(Addresses.HEARTBEATS),
        session.createTextMessage(Wire.encode(Heartbeat.of(beadId, run, lease, name))),
        DeliveryMode.NON_PERSISTENT,
        4,
        0);
  }

  /** A dead-lettered message's reason, or null if none arrives in time. */
  String deadLetterReason(Duration wait) throws Exception {
    try (MessageConsumer dlq = session.createConsumer(session.createQueue(Addresses.DEAD_LETTER))) {
      Message m = dlq.receive(wait.toMillis());
      if (m == null) {
        return null;
      }
      m.acknowledge();
      return m.getStringProperty(Properties.DEAD_LETTER_REASON);
    }
  }

  @Override
  public void close() throws Exception {
    connection.close();
  }
}
