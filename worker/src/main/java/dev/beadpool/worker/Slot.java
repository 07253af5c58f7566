package dev.beadpool.worker;

import dev.beadpool.messaging.BoundedConsumer;
import dev.beadpool.messaging.DeadLetters;
import dev.beadpool.messaging.MessageBodies;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.LeaseSecret;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.protocol.Wire;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A slot's work on one connection: takes dispatched beads from the queue of every profile the
 * worker serves, in turn, claims each from the coordinator, runs its {@link AgentAttempt} and
 * queues the result with the {@link ResultSender}. Each take holds a permit of the profile's {@link
 * AgentCircuit}, given back on every path by try-with-resources.
 *
 * <p>Threads: one instance serves all slots; each call of {@link #serve} runs on its slot's thread
 * ({@code worker-slot-N}) with a session of its own that takes a message only when the slot is free
 * (no prefetch). It throws when its session fails, and the broker link runs it again.
 */
final class Slot {
  private static final Logger log = LoggerFactory.getLogger(Slot.class);
  static final long POLL_MILLIS = 250;

  private final WorkerSettings settings;
  private final Map<String, AgentCircuit> circuits;
  private final Map<Long, Running> running;
  private final AgentAttempt attempt;
  private final ResultSender results;
  private final AbandonedClaims abandoned;
  private final Heartbeats heartbeats;
  private final LimitHolds limits;
  private final BooleanSupplier stopping;

  Slot(
      WorkerSettings settings,
      Map<String, AgentCircuit> circuits,
      Map<Long, Running> running,
      AgentAttempt attempt,
      ResultSender results,
      AbandonedClaims abandoned,
      Heartbeats heartbeats,
      LimitHolds limits,
      BooleanSupplier stopping) {
    this.settings = settings;
    this.circuits = circuits;
    this.running = running;
    this.attempt = attempt;
    this.results = results;
    this.abandoned = abandoned;
    this.heartbeats = heartbeats;
    this.limits = limits;
    this.stopping = stopping;
  }

  /**
   * A slot takes beads from the queue of every profile the worker serves, in turn: each consumer
   * has no prefetch, so a bead waits in the broker, visible to every free slot of every worker,
   * until one takes it; nothing is received only to be skipped.
   */
  void serve(Connection connection) throws JMSException {
    Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
    try {
      long max = settings.broker().maxMessageBytes();
      List<BoundedConsumer> consumers = new ArrayList<>();
      for (String profile : settings.profiles()) {
        consumers.add(
            BoundedConsumer.of(session, session.createQueue(Addresses.dispatch(profile)), max));
      }
      long wait = Math.max(20, POLL_MILLIS / consumers.size());
      MessageProducer producer = session.createProducer(null);
      Claims claims = Claims.on(session, producer, settings, stopping);
      int next = 0;
      int open = 0;
      abandoned.settle(claims, results);
      while (!stopping.getAsBoolean()) {
        results.sendOn(session, producer);
        BoundedConsumer consumer = consumers.get(next);
        String profile = settings.profiles().get(next);
        AgentCircuit.Permit permit =
            limits.holds(profile) ? null : circuits.get(profile).tryAcquire();
        next = (next + 1) % consumers.size();
        if (permit == null) {
          // why: only this profile's backend is failing, or its provider's usage limit holds it;
          // the others go on. All held: wait.
          if (++open >= consumers.size()) {
            open = 0;
            sleep(POLL_MILLIS);
          }
          continue;
        }
        open = 0;
        try (permit) {
          Message message = consumer.receive(wait);
          if (message == null || stopping.getAsBoolean()) {
            if (message != null) {
              session.recover();
            }
            continue;
          }
          handle(session, producer, claims, message, permit);
        }
      }
      for (BoundedConsumer consumer : consumers) {
        consumer.close();
      }
    } finally {
      try {
        session.close();
      } catch (JMSException | RuntimeException e) {
        log.debug("worker={} closing a slot's session: {}", settings.id(), e.toString());
      }
    }
  }

  /** One dispatch taken: read, claimed, acknowledged, run and its result queued. */
  private void handle(
      Session session,
      MessageProducer producer,
      Claims claims,
      Message message,
      AgentCircuit.Permit permit)
      throws JMSException {
    DispatchMessage dispatch;
    try {
      dispatch =
          Wire.decode(
              MessageBodies.text(message, settings.broker().maxMessageBytes()),
              DispatchMessage.class);
    } catch (Wire.WireException e) {
      deadLetter(
          session,
          producer,
          message,
          DeadLetters.name(message.getJMSDestination()),
          e.getMessage());
      return;
    }
    LeaseSecret secret = LeaseSecret.generate();
    ClaimReply reply;
    try {
      reply = claims.ask(dispatch, secret);
    } catch (JMSException | RuntimeException e) {
      // why: the coordinator may have granted it as the session failed; asked again after
      abandoned.add(dispatch, secret);
      throw e;
    }
    if (reply == null) {
      // why: stopping before the coordinator answered; hand the message back for another worker
      session.recover();
      return;
    }
    try {
      message.acknowledge();
    } catch (JMSException | RuntimeException e) {
      if (reply.granted()) {
        // why: the dispatch goes back to the queue with the session; this worker must not run it
        // too. The release waits in unsent for the new session: no attempt is spent.
        results.queue(
            RunResult.released(
                    dispatch.beadId(),
                    dispatch.run(),
                    reply.leaseId(),
                    settings.id(),
                    "the claim was granted as the worker's broker session failed; released")
                .signed(secret));
      }
      throw e;
    }
    if (!reply.granted()) {
      log.info(
          "bead={} run={} worker={} claim refused: {}",
          dispatch.beadId(),
          dispatch.run(),
          settings.id(),
          reply.reason());
      return;
    }
    run(session, producer, new Running(dispatch, reply.leaseId(), secret), permit);
    results.sendOn(session, producer);
  }

  /** Runs a granted claim's agent; its result leaves {@code running} only once it is queued. */
  private void run(
      Session session, MessageProducer producer, Running current, AgentCircuit.Permit permit) {
    DispatchMessage dispatch = current.dispatch;
    running.put(dispatch.run(), current);
    try {
      // why at once: the coordinator learns the run started, so a lease that lapses after this is
      // an attempt, and one that lapses before it is a claim no agent took (released, no cost)
      heartbeats.first(session, producer, current);
    } catch (JMSException | RuntimeException e) {
      // why go on: the claim is ours; the heartbeat thread tells the coordinator once it can
      log.debug(
          "bead={} run={}: first heartbeat not sent: {}", dispatch.beadId(), dispatch.run(), e);
    }
    RunResult result = null;
    try {
      result = attempt.run(current, permit);
    } finally {
      if (result == null) {
        // why: an Error on its way out; the run must still leave this worker, released
        result = AgentAttempt.workerError(current, settings.id());
      }
      // why queued before it leaves running: the heartbeats never miss it
      results.queue(result.signed(current.secret));
      running.remove(dispatch.run());
    }
    if (result.limit() != null) {
      limits.hit(
          dispatch.profile(),
          result.limit(),
          settings.profile(dispatch.profile()).limit().margin());
    }
  }

  private void deadLetter(
      Session session, MessageProducer producer, Message message, String queue, String reason)
      throws JMSException {
    producer.send(
        session.createQueue(Addresses.DEAD_LETTER),
        DeadLetters.copy(session, message, queue, reason, settings.broker().maxMessageBytes()));
    message.acknowledge();
    log.error(
        "poison message {} on {} moved to {}: {}",
        message.getJMSMessageID(),
        queue,
        Addresses.DEAD_LETTER,
        reason);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
