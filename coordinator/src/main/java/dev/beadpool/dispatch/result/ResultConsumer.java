package dev.beadpool.dispatch.result;

import dev.beadpool.dispatch.deadletter.PoisonMessages;
import dev.beadpool.dispatch.endpoint.Messages;
import dev.beadpool.dispatch.state.Lifecycle;
import dev.beadpool.messaging.BoundedConsumer;
import dev.beadpool.messaging.BrokerLink;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.protocol.Wire;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results loop, on its own thread ({@code coordinator-results}) with a transacted session of
 * its own: takes the results that are there (up to {@link #RESULT_BATCH}), has them applied in one
 * store transaction, then acknowledges them to the broker.
 *
 * <p>why batches: every commit, the store's and the broker's, waits for a sync of its disk, which
 * capped the pool at one result per sync. A crash between the store's commit and the broker's
 * leaves results to be redelivered; they are then no longer for a running run, so they change
 * nothing.
 */
public final class ResultConsumer implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ResultConsumer.class);

  /** Results applied per broker transaction, at most. */
  static final int RESULT_BATCH = 64;

  private final BrokerLink link;
  private final Lifecycle lifecycle;
  private final Messages messages;
  private final PoisonMessages poison;
  private final ResultApplier applier;

  public ResultConsumer(
      BrokerLink link,
      Lifecycle lifecycle,
      Messages messages,
      PoisonMessages poison,
      ResultApplier applier) {
    this.link = link;
    this.lifecycle = lifecycle;
    this.messages = messages;
    this.poison = poison;
    this.applier = applier;
  }

  @Override
  public void run() {
    link.serve(
        "results",
        lifecycle::isStopped,
        connection -> {
          Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
          BoundedConsumer consumer =
              messages.bounded(session, session.createQueue(Addresses.RESULTS));
          while (!lifecycle.isStopped()) {
            takeResults(session, consumer);
          }
        });
  }

  /** Up to {@link #RESULT_BATCH} results: applied, then committed to the broker. */
  private void takeResults(Session session, BoundedConsumer consumer) throws Exception {
    int taken = 0;
    try {
      List<RunResult> results = new ArrayList<>();
      Message message = consumer.receive(250);
      while (message != null) {
        taken++;
        try {
          results.add(Wire.decode(messages.text(message), RunResult.class));
        } catch (Wire.WireException e) {
          poison.deadLetter(session, message, Addresses.RESULTS, e.getMessage());
        }
        message = taken < RESULT_BATCH ? consumer.receiveNoWait() : null;
      }
      if (!results.isEmpty()) {
        applier.apply(results);
      }
      if (taken > 0) {
        session.commit();
      }
    } catch (JMSException e) {
      throw e; // the session is lost: the caller heals it
    } catch (Exception | Error e) {
      if (taken > 0) {
        try {
          session.rollback();
        } catch (JMSException rollbackFailed) {
          log.debug("rollback failed: {}", rollbackFailed.toString());
        }
      }
      throw e;
    }
  }
}
