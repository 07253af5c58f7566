package dev.beadpool.worker;

import dev.beadpool.config.Durations;
import dev.beadpool.messaging.BoundedConsumer;
import dev.beadpool.messaging.MessageBodies;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.ClaimRequest;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.LeaseSecret;
import dev.beadpool.protocol.Properties;
import dev.beadpool.protocol.Wire;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A slot's claims: asks the coordinator for a dispatched run and waits for its answer, on the
 * slot's session and a temporary queue of its own for the replies.
 *
 * <p>Threads: one per slot session, used by that slot's thread only.
 */
final class Claims {
  private static final Logger log = LoggerFactory.getLogger(Claims.class);

  private final Session session;
  private final MessageProducer producer;
  private final TemporaryQueue replies;
  private final BoundedConsumer replyConsumer;
  private final WorkerSettings settings;
  private final BooleanSupplier stopping;

  private Claims(
      Session session,
      MessageProducer producer,
      TemporaryQueue replies,
      BoundedConsumer replyConsumer,
      WorkerSettings settings,
      BooleanSupplier stopping) {
    this.session = session;
    this.producer = producer;
    this.replies = replies;
    this.replyConsumer = replyConsumer;
    this.settings = settings;
    this.stopping = stopping;
  }

  /** Claims on {@code session}: its reply queue is made now, and lives as long as the session. */
  static Claims on(
      Session session, MessageProducer producer, WorkerSettings settings, BooleanSupplier stopping)
      throws JMSException {
    TemporaryQueue replies = session.createTemporaryQueue();
    BoundedConsumer replyConsumer =
        BoundedConsumer.of(session, replies, settings.broker().maxMessageBytes());
    return new Claims(session, producer, replies, replyConsumer, settings, stopping);
  }

  /**
   * Asks the coordinator for the run and waits for its answer, asking again every tenth of the
   * claim timeout with the same request (claims are idempotent: the same proof gets the same
   * answer), so a coordinator that starts while the claim waits answers it within moments. The
   * dispatch is held meanwhile, however long the coordinator is away: handing it back would count a
   * delivery against it. Null only when the worker stops first.
   */
  ClaimReply ask(DispatchMessage dispatch, LeaseSecret secret) throws JMSException {
    TextMessage request =
        session.createTextMessage(
            Wire.encode(ClaimRequest.of(dispatch.beadId(), dispatch.run(), settings.id(), secret)));
    String correlation = UUID.randomUUID().toString();
    request.setJMSCorrelationID(correlation);
    request.setJMSReplyTo(replies);
    request.setStringProperty(Properties.TYPE, "claim");
    request.setStringProperty(Properties.BEAD_ID, dispatch.beadId());
    request.setLongProperty(Properties.RUN, dispatch.run());
    request.setStringProperty(Properties.WORKER, settings.id());
    Topic claims = session.createTopic(Addresses.CLAIMS);
    long askEvery = Math.max(50, settings.claimTimeout().toMillis() / 10);
    long started = System.currentTimeMillis();
    long warnAt = started + settings.claimTimeout().toMillis();
    while (!stopping.getAsBoolean()) {
      // why non-persistent: a claim need not survive a broker restart; it is asked again
      producer.send(claims, request, DeliveryMode.NON_PERSISTENT, Message.DEFAULT_PRIORITY, 0);
      ClaimReply reply = awaitReply(correlation, askEvery);
      if (reply != null) {
        return reply;
      }
      long now = System.currentTimeMillis();
      if (now >= warnAt) {
        log.warn(
            "bead={} run={} worker={} no claim reply for {}: is the coordinator running? still"
                + " holding the bead and asking",
            dispatch.beadId(),
            dispatch.run(),
            settings.id(),
            Durations.format(Duration.ofMillis(now - started)));
        warnAt = now + settings.claimTimeout().toMillis();
      }
    }
    return null;
  }

  /** The reply to the request {@code correlation}, if it comes within {@code millis}. */
  private ClaimReply awaitReply(String correlation, long millis) throws JMSException {
    long until = System.currentTimeMillis() + millis;
    for (long left = millis; left > 0; left = until - System.currentTimeMillis()) {
      Message answer = replyConsumer.receive(left);
      if (answer == null) {
        return null;
      }
      answer.acknowledge();
      if (correlation.equals(answer.getJMSCorrelationID())) {
        try {
          return Wire.decode(
              MessageBodies.text(answer, settings.broker().maxMessageBytes()), ClaimReply.class);
        } catch (Wire.WireException e) {
          log.warn("unreadable claim reply dropped: {}", e.getMessage());
        }
      }
      // else: a second answer to a claim asked twice, already acted on
    }
    return null;
  }
}
