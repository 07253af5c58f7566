package dev.beadpool.worker;

import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.OutputLines;
import dev.beadpool.protocol.Properties;
import dev.beadpool.protocol.Wire;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends agents' output lines to the output topic, for {@code beadpool watch} and the console: best
 * effort, non-persistent, and dropped while the broker is away.
 *
 * <p>Threads: called from every slot and agent output thread; one session of its own, used under a
 * lock, made anew on each connection.
 */
final class OutputPublisher implements RunOutput {
  private static final Logger log = LoggerFactory.getLogger(OutputPublisher.class);

  private final String workerId;
  private final BooleanSupplier idleAndStopping;
  private final Object lock = new Object();
  private Session session;
  private MessageProducer producer;

  /**
   * @param idleAndStopping whether the worker stops with no agent running: then nothing is sent
   */
  OutputPublisher(String workerId, BooleanSupplier idleAndStopping) {
    this.workerId = workerId;
    this.idleAndStopping = idleAndStopping;
  }

  /** The output session, on each new connection. */
  void open(Connection connection) throws JMSException {
    Session output = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageProducer lines = output.createProducer(output.createTopic(Addresses.OUTPUT));
    lines.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
    synchronized (lock) {
      session = output;
      producer = lines;
    }
  }

  /** The broker is gone, and the session with it. */
  void lost() {
    synchronized (lock) {
      producer = null;
    }
  }

  @Override
  public void lines(DispatchMessage dispatch, List<String> lines) {
    synchronized (lock) {
      if (producer == null || idleAndStopping.getAsBoolean()) {
        return;
      }
      try {
        TextMessage m =
            session.createTextMessage(
                Wire.encode(OutputLines.of(dispatch.beadId(), dispatch.run(), workerId, lines)));
        m.setStringProperty(Properties.TYPE, "output");
        m.setStringProperty(Properties.BEAD_ID, dispatch.beadId());
        m.setLongProperty(Properties.RUN, dispatch.run());
        producer.send(m);
      } catch (JMSException | RuntimeException e) {
        log.debug("output of bead={} not published: {}", dispatch.beadId(), e.toString());
      }
    }
  }
}
