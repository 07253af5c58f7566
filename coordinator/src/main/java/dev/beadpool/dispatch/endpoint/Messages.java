package dev.beadpool.dispatch.endpoint;

import dev.beadpool.messaging.BoundedConsumer;
import dev.beadpool.messaging.MessageBodies;
import dev.beadpool.protocol.Wire;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;

/** Reading the coordinator's messages within --max-message-size. */
public final class Messages {
  private final long maxBytes;

  public Messages(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The text of a message, refused if larger than the bound. */
  public String text(Message message) throws JMSException, Wire.WireException {
    return MessageBodies.text(message, maxBytes);
  }

  /** A consumer that reads no body over --max-message-size: see {@link BoundedConsumer}. */
  public BoundedConsumer bounded(Session session, Destination destination) throws JMSException {
    return bounded(session, destination, null);
  }

  /** The same, for the messages that match {@code filter} only. */
  public BoundedConsumer bounded(Session session, Destination destination, String filter)
      throws JMSException {
    return BoundedConsumer.of(session, destination, filter, maxBytes);
  }

  /** The bound, for copies sent to the dead-letter queue. */
  public long maxBytes() {
    return maxBytes;
  }

  /** A message's id for the log, or a placeholder if the broker cannot say. */
  public static String id(Message message) {
    try {
      return message.getJMSMessageID();
    } catch (JMSException e) {
      return "(unknown id)";
    }
  }
}
