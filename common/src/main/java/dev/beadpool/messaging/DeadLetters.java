package dev.beadpool.messaging;

import dev.beadpool.protocol.Properties;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * What goes to the dead-letter queue for a message that can never be processed: a copy with the
 * reason, the original's id and its beadpool properties, and its body only if that is within the
 * size limit (an oversized body is never read, so never copied).
 */
public final class DeadLetters {
  /** On a dead-lettered message: the id of the message it stands for. */
  public static final String ORIGINAL_ID = "bpOriginalMessageId";

  /** On a dead-lettered message: the size in bytes of the original's body. */
  public static final String ORIGINAL_SIZE = "bpOriginalBodySize";

  private DeadLetters() {}

  /** A destination's name as beadpool writes it: {@code beadpool.dispatch}, not its class. */
  public static String name(jakarta.jms.Destination destination) throws JMSException {
    if (destination instanceof jakarta.jms.Queue queue) {
      return queue.getQueueName();
    }
    if (destination instanceof jakarta.jms.Topic topic) {
      return topic.getTopicName();
    }
    return String.valueOf(destination);
  }

  /** The copy to send to {@code beadpool.dlq} in place of {@code message}. */
  public static Message copy(
      Session session, Message message, String queue, String reason, long maxBytes)
      throws JMSException {
    long size = MessageBodies.size(message);
    Message copy =
        message instanceof TextMessage text && size <= maxBytes
            ? session.createTextMessage(text.getText())
            : session.createMessage();
    copy.setStringProperty(Properties.DEAD_LETTER_REASON, queue + ": " + reason);
    copy.setStringProperty(ORIGINAL_ID, message.getJMSMessageID());
    copy.setLongProperty(ORIGINAL_SIZE, size);
    for (String name :
        new String[] {Properties.TYPE, Properties.BEAD_ID, Properties.WORKER, Properties.PROFILE}) {
      if (message.propertyExists(name)) {
        copy.setStringProperty(name, String.valueOf(message.getObjectProperty(name)));
      }
    }
    if (message.propertyExists(Properties.RUN)) {
      copy.setObjectProperty(Properties.RUN, message.getObjectProperty(Properties.RUN));
    }
    return copy;
  }
}
