package dev.beadpool.messaging;

import dev.beadpool.protocol.Wire;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;

/**
 * Reads a message's body within a size limit, checked before the body is read: a message of 100 MB
 * on a beadpool address is refused with its size, never loaded into memory (an Artemis large
 * message streams its body only when asked for it).
 */
public final class MessageBodies {
  private MessageBodies() {}

  /**
   * The text of a beadpool message.
   *
   * @throws Wire.WireException if it is not a text message or its body is over {@code maxBytes}: a
   *     poison message, never a retry
   */
  public static String text(Message message, long maxBytes)
      throws JMSException, Wire.WireException {
    if (!(message instanceof TextMessage text)) {
      throw new Wire.WireException("not a text message: " + message.getClass().getSimpleName());
    }
    long size = size(message);
    if (size > maxBytes) {
      throw new Oversized(size, maxBytes);
    }
    return text.getText();
  }

  /** The body's size in bytes as the broker delivered it, without reading it; -1 if unknown. */
  public static long size(Message message) {
    if (message instanceof ActiveMQMessage artemis && artemis.getCoreMessage() != null) {
      return artemis.getCoreMessage().getBodySize();
    }
    return -1;
  }

  /** A body over the limit: dead-lettered without its body. */
  public static final class Oversized extends Wire.WireException {
    private static final long serialVersionUID = 1L;

    Oversized(long size, long limit) {
      super(
          "body of "
              + size
              + " bytes is over the limit of "
              + limit
              + " bytes (--max-message-size); not read, not kept");
    }
  }
}
