package dev.beadpool.dispatch.deadletter;

import dev.beadpool.dispatch.endpoint.Messages;
import dev.beadpool.dispatch.state.Counters;
import dev.beadpool.messaging.DeadLetters;
import dev.beadpool.protocol.Addresses;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages that cannot be read (a claim or a result that does not decode): moved to the dead-letter
 * queue with the reason, in the session's transaction, instead of being redelivered forever. Any
 * consumer's thread; counts under the coordinator's lock.
 */
public final class PoisonMessages {
  private static final Logger log = LoggerFactory.getLogger(PoisonMessages.class);

  private final Object lock;
  private final Messages messages;
  private final Counters counters;

  public PoisonMessages(Object lock, Messages messages, Counters counters) {
    this.lock = lock;
    this.messages = messages;
    this.counters = counters;
  }

  /** Sends a poison message to the dead-letter queue in the session's transaction. */
  public void deadLetter(Session session, Message message, String queue, String reason)
      throws JMSException {
    try (MessageProducer producer =
        session.createProducer(session.createQueue(Addresses.DEAD_LETTER))) {
      producer.send(DeadLetters.copy(session, message, queue, reason, messages.maxBytes()));
    }
    synchronized (lock) {
      counters.countDeadLettered();
    }
    log.error(
        "poison message {} on {} moved to {}: {}",
        Messages.id(message),
        queue,
        Addresses.DEAD_LETTER,
        reason);
  }
}
