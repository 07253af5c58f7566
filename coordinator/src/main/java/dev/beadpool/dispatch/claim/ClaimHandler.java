package dev.beadpool.dispatch.claim;

import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.PoolEvents;
import dev.beadpool.dispatch.deadletter.PoisonMessages;
import dev.beadpool.dispatch.endpoint.Messages;
import dev.beadpool.dispatch.lease.Leases;
import dev.beadpool.dispatch.outbox.DispatchPublisher;
import dev.beadpool.dispatch.outbox.Outbox;
import dev.beadpool.dispatch.outbox.OutboxFlush;
import dev.beadpool.dispatch.pause.PausedClaims;
import dev.beadpool.dispatch.queue.DispatchQueue;
import dev.beadpool.dispatch.registry.WorkerRegistry;
import dev.beadpool.dispatch.state.GraphMirror;
import dev.beadpool.dispatch.state.InFlight;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.ClaimRequest;
import dev.beadpool.protocol.Properties;
import dev.beadpool.protocol.Wire;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunLedger;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a worker's claim of a dispatched run: granted with a lease (the run is committed as
 * running first), or refused with the reason. On the claims consumer's thread; decides under the
 * coordinator's lock.
 */
public final class ClaimHandler {
  private static final Logger log = LoggerFactory.getLogger(ClaimHandler.class);

  /** What a claim decision needs of the coordinator's state. */
  public record Parts(
      WorkerRegistry workers,
      InFlight inFlight,
      Leases leases,
      GraphMirror graph,
      DispatchQueue queue,
      DispatchPublisher publisher,
      Outbox outbox,
      OutboxFlush flush,
      PoolEvents events,
      PausedClaims paused) {}

  private final Object lock;
  private final RunLedger ledger;
  private final CoordinatorSettings settings;
  private final Clock clock;
  private final Messages messages;
  private final PoisonMessages poison;
  private final Parts parts;

  public ClaimHandler(
      Object lock,
      RunLedger ledger,
      CoordinatorSettings settings,
      Clock clock,
      Messages messages,
      PoisonMessages poison,
      Parts parts) {
    this.lock = lock;
    this.ledger = ledger;
    this.settings = settings;
    this.clock = clock;
    this.messages = messages;
    this.poison = poison;
    this.parts = parts;
  }

  /** A claim from the broker: decided, and the reply sent to the worker's reply queue. */
  public void onClaim(Session session, MessageProducer replies, Message message) {
    try {
      ClaimRequest request = Wire.decode(messages.text(message), ClaimRequest.class);
      if (request.leaseProof() == null) {
        throw new Wire.WireException("a claim without a lease proof");
      }
      ClaimReply reply = claim(request);
      Destination replyTo = message.getJMSReplyTo();
      if (replyTo != null) {
        TextMessage answer = session.createTextMessage(Wire.encode(reply));
        answer.setJMSCorrelationID(message.getJMSCorrelationID());
        answer.setStringProperty(Properties.TYPE, "claim-reply");
        answer.setStringProperty(Properties.BEAD_ID, reply.beadId());
        answer.setLongProperty(Properties.RUN, reply.run());
        replies.send(replyTo, answer, DeliveryMode.NON_PERSISTENT, Message.DEFAULT_PRIORITY, 0);
      }
    } catch (Wire.WireException e) {
      try {
        poison.deadLetter(session, message, Addresses.CLAIMS, e.getMessage());
      } catch (JMSException sendFailed) {
        log.warn(
            "poison claim {} could not be dead-lettered: {}",
            Messages.id(message),
            sendFailed.toString());
      }
    } catch (JMSException e) {
      // why no trace: the broker went away; the worker asks again once it is back
      log.warn("claim {} not answered: {}", Messages.id(message), e.toString());
    } catch (Exception e) {
      // why: the worker asks again; nothing to redeliver here
      log.warn("claim {} not answered: {}", Messages.id(message), e.toString(), e);
    }
  }

  /** Decides a claim: committed in the ledger before the reply goes out. */
  public ClaimReply claim(ClaimRequest request) {
    synchronized (lock) {
      parts.workers().heardFrom(request.worker());
      Optional<ClaimReply> paused = parts.paused().refuse(request);
      if (paused.isPresent()) {
        parts.flush().flush();
        return paused.get();
      }
      RunLedger.ClaimDecision decision =
          ledger.claim(
              request.beadId(),
              request.run(),
              request.worker(),
              UUID.randomUUID().toString(),
              request.leaseProof());
      if (decision.granted()) {
        Run run = decision.run();
        parts.inFlight().put(run);
        parts.leases().grant(run.run(), clock.instant());
        parts.graph().put(decision.bead());
        parts.events().publish(PoolEvent.claimed(run, clock.instant()));
        log.info(
            "claim granted bead={} run={} attempt={} worker={}",
            run.beadId(),
            run.run(),
            run.attempt(),
            request.worker());
        return ClaimReply.granted(
            request.beadId(), request.run(), decision.leaseId(), settings.lease().toMillis());
      }
      log.info(
          "claim refused bead={} run={} worker={}: {}",
          request.beadId(),
          request.run(),
          request.worker(),
          decision.reason());
      Run current = parts.inFlight().get(request.beadId());
      if (current != null && current.run() == request.run()) {
        Optional.ofNullable(decision.run())
            .filter(r -> !r.state().inFlight())
            .ifPresent(
                r -> {
                  parts
                      .outbox()
                      .happened(
                          PoolEvent.runEnded(
                              r, PoolEvent.REFUSED, decision.reason(), clock.instant()));
                  parts.inFlight().remove(r.beadId());
                  parts.publisher().forget(r.run());
                  parts.queue().pump();
                });
      }
      parts.flush().flush();
      return ClaimReply.refused(request.beadId(), request.run(), decision.reason());
    }
  }
}
