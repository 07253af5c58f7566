package dev.beadpool.worker;

import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.Properties;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.protocol.Wire;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results on their way to the coordinator: each is kept, and heartbeated like a running run so its
 * lease lives, until the broker confirms it. Any slot sends them, on its own session, whenever it
 * passes by.
 *
 * <p>Threads: {@link #queue} and {@link #sendOn} are called from every slot; the broker's
 * completion callbacks come on its threads. A result is claimed for sending by one compare-and-set,
 * so two slots never send the same one at once.
 */
final class ResultSender {
  private static final Logger log = LoggerFactory.getLogger(ResultSender.class);

  private final String workerId;
  private final BooleanSupplier stopping;

  /** Results not yet confirmed by the broker, by run. */
  private final Map<Long, Unsent> unsent = new ConcurrentHashMap<>();

  /** A result on its way: {@code resend} once the broker refused it or the send failed. */
  static final class Unsent {
    final RunResult result;
    final AtomicBoolean resend = new AtomicBoolean();

    Unsent(RunResult result) {
      this.result = result;
    }
  }

  ResultSender(String workerId, BooleanSupplier stopping) {
    this.workerId = workerId;
    this.stopping = stopping;
  }

  /** A result to send: kept (and heartbeated) until the broker confirms it. */
  void queue(RunResult result) {
    Unsent entry = new Unsent(result);
    entry.resend.set(true);
    unsent.put(result.run(), entry);
  }

  /** The results not yet confirmed, for the heartbeats. */
  Collection<Unsent> unsent() {
    return unsent.values();
  }

  /**
   * Sends the results waiting to go, without waiting for the broker's journal: the slot takes its
   * next bead at once. One the broker refuses is marked and sent again by the next slot that comes
   * here; a send that fails fails the session (the slot heals it, and the result goes then). If the
   * worker dies first, the lease expires and the bead runs again: nothing is lost, only time.
   */
  void sendOn(Session session, MessageProducer producer) throws JMSException {
    for (Unsent entry : unsent.values()) {
      if (!entry.resend.compareAndSet(true, false)) {
        continue; // sent already, or being sent by another slot
      }
      RunResult result = entry.result;
      try {
        jakarta.jms.Queue results = session.createQueue(Addresses.RESULTS);
        TextMessage message = message(session, result);
        if (stopping.getAsBoolean()) {
          // why synchronous: the session closes next; the release must be with the broker first
          producer.send(results, message, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, 0);
          unsent.remove(result.run(), entry);
          continue;
        }
        producer.send(
            results,
            message,
            DeliveryMode.PERSISTENT,
            Message.DEFAULT_PRIORITY,
            0,
            new CompletionListener() {
              @Override
              public void onCompletion(Message message) {
                unsent.remove(result.run(), entry);
              }

              @Override
              public void onException(Message message, Exception e) {
                log.warn(
                    "bead={} run={} worker={} result refused by the broker ({}); sending it again",
                    result.beadId(),
                    result.run(),
                    workerId,
                    e.toString());
                entry.resend.set(true);
              }
            });
      } catch (JMSException | RuntimeException e) {
        entry.resend.set(true);
        throw e;
      }
    }
  }

  private TextMessage message(Session session, RunResult result) throws JMSException {
    TextMessage message = session.createTextMessage(Wire.encode(result));
    message.setStringProperty(Properties.TYPE, "result");
    message.setStringProperty(Properties.BEAD_ID, result.beadId());
    message.setLongProperty(Properties.RUN, result.run());
    message.setStringProperty(Properties.WORKER, workerId);
    message.setStringProperty(Properties.DUPLICATE_ID, result.duplicateId());
    return message;
  }
}
