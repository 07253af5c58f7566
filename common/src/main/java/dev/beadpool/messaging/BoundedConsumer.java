package dev.beadpool.messaging;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.jms.client.ActiveMQDestination;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer that never loads a message body over the size limit: Artemis' JMS consumer decodes
 * every body as it hands the message over (a 100 MB text is a 100 MB buffer and a 50-million-char
 * string before any code of ours can look at it), so beadpool's consumers take messages from the
 * core consumer beneath, look at the size the broker announced, and only then let JMS decode the
 * body. An oversized message is handed over as a JMS message without its body: its properties read
 * as usual, {@link MessageBodies#text} refuses it with its size, and acknowledging it discards the
 * body unread.
 *
 * <p>Acknowledgement follows the session's mode as the JMS consumer's does: at once (auto and
 * transacted sessions, the latter within the transaction), or by {@link Message#acknowledge()}
 * (client acknowledge). Not thread-safe, like the session it belongs to.
 */
public final class BoundedConsumer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BoundedConsumer.class);

  private final ActiveMQSession session;
  private final ClientConsumer consumer;
  private final RoutingType routing;
  private final long maxBytes;

  private BoundedConsumer(
      ActiveMQSession session, ClientConsumer consumer, RoutingType routing, long maxBytes) {
    this.session = session;
    this.consumer = consumer;
    this.routing = routing;
    this.maxBytes = maxBytes;
  }

  /**
   * A consumer on a queue, or on a topic through a subscription of its own (non-durable, gone with
   * the session).
   */
  public static BoundedConsumer of(Session session, Destination destination, long maxBytes)
      throws JMSException {
    return of(session, destination, null, maxBytes);
  }

  /**
   * A consumer of the messages that match {@code filter} (an Artemis filter expression over
   * properties, as a JMS selector), or all with null.
   */
  public static BoundedConsumer of(
      Session session, Destination destination, String filter, long maxBytes) throws JMSException {
    SimpleString selector = filter == null ? null : SimpleString.of(filter);
    ActiveMQSession artemis = (ActiveMQSession) session;
    ActiveMQDestination target = (ActiveMQDestination) destination;
    ClientSession core = artemis.getCoreSession();
    try {
      if (target.isQueue()) {
        createIfMissing(core, target.getSimpleAddress());
        return new BoundedConsumer(
            artemis,
            core.createConsumer(target.getSimpleAddress(), selector),
            RoutingType.ANYCAST,
            maxBytes);
      }
      SimpleString subscription = SimpleString.of(UUID.randomUUID().toString());
      core.createQueue(
          QueueConfiguration.of(subscription)
              .setAddress(target.getSimpleAddress())
              .setRoutingType(RoutingType.MULTICAST)
              .setDurable(false)
              .setTemporary(true));
      return new BoundedConsumer(
          artemis, core.createConsumer(subscription, selector), RoutingType.MULTICAST, maxBytes);
    } catch (ActiveMQException e) {
      throw jmsException(e);
    }
  }

  /**
   * Makes a queue the broker would make for a JMS consumer (its auto-create setting), as JMS does.
   */
  private static void createIfMissing(ClientSession core, SimpleString queue)
      throws ActiveMQException, JMSException {
    ClientSession.QueueQuery query = core.queueQuery(queue);
    if (query.isExists()) {
      return;
    }
    if (!query.isAutoCreateQueues()) {
      throw new jakarta.jms.InvalidDestinationException("queue " + queue + " does not exist");
    }
    try {
      core.createQueue(
          QueueConfiguration.of(queue)
              .setAddress(queue)
              .setRoutingType(RoutingType.ANYCAST)
              .setDurable(true)
              .setAutoCreated(true));
    } catch (org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException raced) {
      // another consumer made it first
    }
  }

  /** The next message within {@code millis}, or null. */
  public Message receive(long millis) throws JMSException {
    return take(() -> consumer.receive(millis));
  }

  /** The next message if one is there now, or null. */
  public Message receiveNoWait() throws JMSException {
    return take(consumer::receiveImmediate);
  }

  /**
   * Hands each message to {@code listener} on the client's thread; in an auto-acknowledge session
   * it is acknowledged after the listener returns, in a transacted one before (the listener commits
   * or rolls back). The listener must not throw.
   */
  public void listen(Consumer<Message> listener) throws JMSException {
    boolean transacted = session.getTransacted();
    try {
      consumer.setMessageHandler(
          core -> {
            try {
              Message message = wrap(core);
              if (transacted) {
                core.acknowledge();
              }
              listener.accept(message);
              if (!transacted && session.getAcknowledgeMode() != Session.CLIENT_ACKNOWLEDGE) {
                core.acknowledge();
              }
            } catch (Exception | Error e) {
              log.warn("message {} not handled: {}", core.getMessageID(), e.toString(), e);
            }
          });
    } catch (ActiveMQException e) {
      throw jmsException(e);
    }
  }

  private interface Receive {
    ClientMessage next() throws ActiveMQException;
  }

  private Message take(Receive receive) throws JMSException {
    try {
      ClientMessage core = receive.next();
      if (core == null) {
        return null;
      }
      ActiveMQMessage message = wrap(core);
      if (session.getAcknowledgeMode() == Session.CLIENT_ACKNOWLEDGE) {
        message.setClientAcknowledge();
      }
      core.acknowledge();
      return message;
    } catch (ActiveMQException e) {
      throw jmsException(e);
    }
  }

  /** The JMS message for {@code core}; its body decoded only if it is within the limit. */
  private ActiveMQMessage wrap(ClientMessage core) throws ActiveMQException, JMSException {
    if (core.getRoutingType() == null) {
      core.setRoutingType(routing);
    }
    ActiveMQMessage message =
        ActiveMQMessage.createMessage(
            core,
            session.getAcknowledgeMode() == Session.CLIENT_ACKNOWLEDGE
                ? session.getCoreSession()
                : null);
    if (core.getBodySize() <= maxBytes) {
      message.doBeforeReceive();
    }
    return message;
  }

  private static JMSException jmsException(ActiveMQException e) {
    JMSException jms = new JMSException(e.getMessage(), String.valueOf(e.getType()));
    jms.initCause(e);
    jms.setLinkedException(e);
    return jms;
  }

  @Override
  public void close() throws JMSException {
    try {
      consumer.close();
    } catch (ActiveMQException e) {
      throw jmsException(e);
    }
  }
}
