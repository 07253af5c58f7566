package dev.beadpool.dispatch;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.IssueTypes;
import dev.beadpool.graph.BeadState;
import dev.beadpool.graph.ReadyEngine;
import dev.beadpool.graph.SortPolicy;
import dev.beadpool.messaging.BrokerConnections;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.ClaimRequest;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.Heartbeat;
import dev.beadpool.protocol.Properties;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.protocol.Wire;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.NewBead;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunLedger;
import dev.beadpool.store.RunState;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the bead graph and decides who runs what. Publishes every dispatchable bead as soon as it
 * becomes ready (event driven: a close dispatches what it unblocks), grants claims with leases,
 * expires leases, applies results, retries with backoff and files failure beads.
 *
 * <p>Ordering, for crash safety: every state change is committed in the store ({@link RunLedger})
 * before it is published, replied or acknowledged. Claims and results are consumed in transacted
 * sessions committed after the store; a redelivered message finds its change already made and
 * changes nothing. Dispatch messages carry a duplicate-detection id, so republishing after a
 * restart sends each run once.
 *
 * <p>Threads: each consumer delivers on its session's thread and the lease timer runs on its own;
 * all of them change state under this object's monitor, since the engine has one owner.
 */
public final class Coordinator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Coordinator.class);
  private static final String ACTOR = "beadpool";

  private final BeadStore store;
  private final RunLedger ledger;
  private final CoordinatorSettings settings;
  private final Clock clock;

  private ReadyEngine engine;
  private String storeId;

  /** In-flight runs by bead id: at most one per bead. */
  private final Map<String, Run> active = new HashMap<>();

  private final Map<Long, Instant> leaseExpiry = new HashMap<>();

  /** Committed runs whose dispatch message could not be sent yet (broker trouble). */
  private final Set<Long> unpublished = new LinkedHashSet<>();

  private final TreeSet<BeadState> waiting;
  private final Set<String> waitingIds = new HashSet<>();

  private long closed;
  private long retried;
  private long failureBeads;
  private long staleResults;
  private long deadLettered;

  private Connection connection;
  private Session dispatchSession;
  private MessageProducer dispatchProducer;
  private ScheduledExecutorService timer;
  private boolean started;
  private boolean stopped;

  public Coordinator(BeadStore store, CoordinatorSettings settings, Clock clock) {
    this.store = store;
    this.ledger = new RunLedger(store);
    this.settings = settings;
    this.clock = clock;
    this.waiting = new TreeSet<>(SortPolicy.PRIORITY.comparator(clock.instant()));
  }

  /** Loads the graph, restores in-flight runs from the store, connects and starts dispatching. */
  public synchronized void start() throws JMSException {
    if (started) {
      return;
    }
    started = true;
    log.info(
        "coordinator starting: store={} {} max-in-flight={} max-attempts={} lease={}",
        store.file(),
        settings.broker(),
        settings.maxInFlight(),
        settings.maxAttempts(),
        settings.lease());
    engine = store.loadEngine();
    storeId = store.storeId();
    try {
      connection =
          BrokerConnections.connect(
              settings.broker().connectionFactory(true), "coordinator", settings.broker());
    } catch (JMSException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot connect to the broker " + settings.broker().url(), e);
    }
    dispatchSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    dispatchProducer =
        dispatchSession.createProducer(dispatchSession.createQueue(Addresses.DISPATCH));
    dispatchProducer.setDeliveryMode(DeliveryMode.PERSISTENT);

    Instant now = clock.instant();
    for (Run run : ledger.inFlight()) {
      active.put(run.beadId(), run);
      if (run.state() == RunState.RUNNING) {
        // why: the worker may be alive; give it a full lease from now to heartbeat again
        leaseExpiry.put(run.run(), now.plus(settings.lease()));
      } else {
        unpublished.add(run.run());
      }
    }
    log.info("restored {} in-flight runs ({} to republish)", active.size(), unpublished.size());
    republish();
    for (BeadState ready : engine.ready(SortPolicy.PRIORITY, now, 0)) {
      consider(ready.id());
    }
    pump();

    Session claims = connection.createSession(true, Session.SESSION_TRANSACTED);
    claims
        .createConsumer(claims.createQueue(Addresses.CLAIMS))
        .setMessageListener(m -> onClaim(claims, m));
    Session results = connection.createSession(true, Session.SESSION_TRANSACTED);
    results
        .createConsumer(results.createQueue(Addresses.RESULTS))
        .setMessageListener(m -> onResult(results, m));
    Session heartbeats = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    heartbeats
        .createConsumer(heartbeats.createQueue(Addresses.HEARTBEATS))
        .setMessageListener(this::onHeartbeat);

    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "coordinator-leases");
              t.setDaemon(true);
              return t;
            });
    long every = settings.leaseCheck().toMillis();
    timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    connection.start();
    log.info(
        "coordinator started: {} ready, {} dispatched",
        waiting.size() + active.size(),
        active.size());
  }

  // ---- the human side: changes made through the coordinator ------------------------------------

  /** Closes a bead by hand (a gate, a failure bead) and dispatches what that releases. */
  public synchronized Bead close(String id, String reason, String actor) {
    return close(id, reason, true, actor);
  }

  /** {@code beadpool close} through the coordinator: bd's rules, then dispatch. */
  public synchronized Bead close(String id, String reason, boolean force, String actor) {
    Bead bead = store.close(id, reason, force, actor);
    afterChange(bead);
    return bead;
  }

  /** Creates a bead and dispatches it if it is ready. */
  public synchronized Bead create(NewBead spec, String actor) {
    Bead bead = store.create(spec, actor);
    engine.put(BeadState.of(bead));
    for (dev.beadpool.bead.Dependency d : bead.dependencies()) {
      addToEngine(new dev.beadpool.graph.Edge(d.issueId(), d.dependsOnId(), d.type(), d.gate()));
    }
    consider(bead.id());
    pump();
    return bead;
  }

  /** {@code beadpool update} (and {@code --claim}) through the coordinator. */
  public synchronized Bead update(
      String id, dev.beadpool.store.BeadUpdate update, boolean claim, String actor) {
    Bead bead = claim ? store.claim(id, actor) : null;
    if (!update.isEmpty()) {
      bead = store.update(id, update, actor);
    }
    afterChange(bead);
    return bead;
  }

  /** {@code beadpool dep add} through the coordinator; the cycle check is the store's. */
  public synchronized void addDependency(String from, String to, String type, String actor) {
    store.addDependency(from, to, type, actor);
    considerAll(addToEngine(new dev.beadpool.graph.Edge(from, to, type, null)));
    pump();
  }

  /** {@code beadpool dep remove} through the coordinator: may release the dependent. */
  public synchronized void removeDependency(String from, String to, String actor) {
    store.removeDependency(from, to, actor);
    considerAll(engine.removeEdge(from, to));
    consider(from);
    pump();
  }

  /**
   * {@code beadpool import} through the coordinator: the graph is reloaded and ready beads go out.
   */
  public synchronized dev.beadpool.store.ImportResult importFile(
      java.nio.file.Path file, String actor) throws java.io.IOException {
    dev.beadpool.store.ImportResult result = store.importFile(file, actor, null);
    engine = store.loadEngine();
    for (BeadState ready : engine.ready(SortPolicy.PRIORITY, clock.instant(), 0)) {
      consider(ready.id());
    }
    pump();
    return result;
  }

  private Set<String> addToEngine(dev.beadpool.graph.Edge edge) {
    try {
      return engine.addEdge(edge);
    } catch (dev.beadpool.graph.GraphException e) {
      // why: the store accepted it under the same rules; a disagreement means the graph is stale
      log.warn(
          "graph refused {} the store accepted ({}); reloading the graph", edge, e.getMessage());
      engine = store.loadEngine();
      return Set.of();
    }
  }

  public synchronized PoolStatus status() {
    List<String> running = new ArrayList<>();
    int dispatched = 0;
    for (Run run : active.values()) {
      if (run.state() == RunState.RUNNING) {
        running.add(run.beadId());
      } else {
        dispatched++;
      }
    }
    running.sort(null);
    return new PoolStatus(
        waitingIds.size(),
        dispatched,
        running,
        closed,
        retried,
        failureBeads,
        staleResults,
        deadLettered);
  }

  public RunLedger ledger() {
    return ledger;
  }

  // ---- messages --------------------------------------------------------------------------------

  private void onClaim(Session session, Message message) {
    try {
      ClaimRequest request = Wire.decode(body(message), ClaimRequest.class);
      ClaimReply reply = claim(request);
      Destination replyTo = message.getJMSReplyTo();
      if (replyTo != null) {
        TextMessage answer = session.createTextMessage(Wire.encode(reply));
        answer.setJMSCorrelationID(message.getJMSCorrelationID());
        answer.setStringProperty(Properties.TYPE, "claim-reply");
        answer.setStringProperty(Properties.BEAD_ID, reply.beadId());
        answer.setLongProperty(Properties.RUN, reply.run());
        try (MessageProducer producer = session.createProducer(replyTo)) {
          producer.send(answer, DeliveryMode.NON_PERSISTENT, Message.DEFAULT_PRIORITY, 0);
        }
      }
      session.commit();
    } catch (Wire.WireException e) {
      deadLetter(session, message, Addresses.CLAIMS, e.getMessage());
    } catch (Exception e) {
      rollback(session, message, Addresses.CLAIMS, e);
    }
  }

  private synchronized ClaimReply claim(ClaimRequest request) {
    RunLedger.ClaimDecision decision =
        ledger.claim(
            request.beadId(), request.run(), request.worker(), UUID.randomUUID().toString());
    if (decision.granted()) {
      Run run = ledger.run(request.run()).orElseThrow();
      active.put(run.beadId(), run);
      leaseExpiry.put(run.run(), clock.instant().plus(settings.lease()));
      engine.put(BeadState.of(decision.bead()));
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
    Run current = active.get(request.beadId());
    if (current != null && current.run() == request.run()) {
      ledger
          .run(request.run())
          .filter(r -> !r.state().inFlight())
          .ifPresent(
              r -> {
                active.remove(r.beadId());
                unpublished.remove(r.run());
                pump();
              });
    }
    return ClaimReply.refused(request.beadId(), request.run(), decision.reason());
  }

  private void onResult(Session session, Message message) {
    try {
      RunResult result = Wire.decode(body(message), RunResult.class);
      applyResult(result);
      session.commit();
    } catch (Wire.WireException e) {
      deadLetter(session, message, Addresses.RESULTS, e.getMessage());
    } catch (Exception e) {
      rollback(session, message, Addresses.RESULTS, e);
    }
  }

  private synchronized void applyResult(RunResult result) {
    RunLedger.Decision decision = ledger.apply(result, settings.maxAttempts());
    if (decision.effect() == RunLedger.Effect.STALE) {
      staleResults++;
      log.warn(
          "stale result rejected bead={} run={} worker={} outcome={}: not the current lease",
          result.beadId(),
          result.run(),
          result.worker(),
          result.outcome());
      return;
    }
    log.info(
        "result bead={} run={} worker={} outcome={} -> {}",
        result.beadId(),
        result.run(),
        result.worker(),
        result.outcome(),
        decision.effect());
    settle(decision);
  }

  private void onHeartbeat(Message message) {
    try {
      Heartbeat beat = Wire.decode(body(message), Heartbeat.class);
      heartbeat(beat);
    } catch (Wire.WireException e) {
      log.warn("unreadable heartbeat {} dropped: {}", id(message), e.getMessage());
    } catch (Exception e) {
      log.warn("heartbeat {} not applied", id(message), e);
    }
  }

  private synchronized void heartbeat(Heartbeat beat) {
    Run run = active.get(beat.beadId());
    if (run != null
        && run.run() == beat.run()
        && run.state() == RunState.RUNNING
        && beat.leaseId() != null
        && beat.leaseId().equals(run.leaseId())) {
      leaseExpiry.put(run.run(), clock.instant().plus(settings.lease()));
    }
  }

  // ---- state changes ---------------------------------------------------------------------------

  /** Brings memory in line with a ledger decision and dispatches what follows from it. */
  private void settle(RunLedger.Decision decision) {
    Run run = decision.run();
    active.remove(run.beadId());
    leaseExpiry.remove(run.run());
    Bead bead = store.get(run.beadId());
    switch (decision.effect()) {
      case CLOSED -> {
        closed++;
        afterChange(bead);
      }
      case RETRY -> {
        retried++;
        engine.put(BeadState.of(bead));
        int failures = ledger.failures(bead.id());
        long delay = settings.backoff().delay(failures).toMillis();
        log.info(
            "retry bead={} after {} ms (failure {} of {})",
            bead.id(),
            delay,
            failures,
            settings.maxAttempts());
        dispatch(bead.id(), delay);
      }
      case FAILURE_BEAD -> {
        failureBeads++;
        log.warn(
            "bead={} failed {} attempts: failure bead {} now blocks it",
            bead.id(),
            settings.maxAttempts(),
            decision.failureBead());
        engine = store.loadEngine();
      }
      case RELEASED -> {
        engine.put(BeadState.of(bead));
        consider(bead.id());
      }
      default -> {}
    }
    pump();
  }

  /** After a bead changed state: update the graph and dispatch what became ready. */
  private void afterChange(Bead bead) {
    Set<String> flipped = engine.put(BeadState.of(bead));
    waitingIds.remove(bead.id());
    waiting.removeIf(s -> s.id().equals(bead.id()));
    if (bead.isClosed() && bead.labels().contains(RunLedger.FAILURE_LABEL)) {
      ledger
          .failureBeadClosed(bead.id())
          .ifPresent(
              original -> {
                log.info(
                    "failure bead {} closed: {} runs again with a fresh budget",
                    bead.id(),
                    original);
                consider(original);
              });
    }
    considerAll(flipped);
    consider(bead.id());
    pump();
  }

  private void considerAll(Collection<String> ids) {
    for (String id : ids) {
      consider(id);
    }
  }

  /** Queues a bead for dispatch if it is dispatchable now. */
  private void consider(String id) {
    if (waitingIds.contains(id) || !dispatchable(id)) {
      return;
    }
    engine
        .state(id)
        .ifPresent(
            state -> {
              waiting.add(state);
              waitingIds.add(id);
            });
  }

  /**
   * Ready (bd's rules), not in flight, unassigned, not an epic, and not for a human (approval
   * gates, failure beads).
   */
  private boolean dispatchable(String id) {
    if (active.containsKey(id) || !engine.isReady(id, clock.instant())) {
      return false;
    }
    Bead bead = store.find(id).orElse(null);
    return bead != null
        && bead.assignee() == null
        && !IssueTypes.EPIC.equals(bead.issueType())
        && bead.labels().stream().noneMatch(settings.humanLabels()::contains);
  }

  /** Dispatches waiting beads while there is room under max-in-flight. */
  private void pump() {
    while (active.size() < settings.maxInFlight() && !waiting.isEmpty()) {
      BeadState next = waiting.pollFirst();
      waitingIds.remove(next.id());
      if (dispatchable(next.id())) {
        dispatch(next.id(), 0);
      }
    }
  }

  private void dispatch(String beadId, long delayMillis) {
    Run run = ledger.dispatch(beadId, clock.millis() + delayMillis);
    active.put(beadId, run);
    publish(run);
  }

  private void publish(Run run) {
    try {
      Bead bead = store.get(run.beadId());
      DispatchMessage body =
          DispatchMessage.of(run.beadId(), run.run(), run.attempt(), bead.json());
      TextMessage message = dispatchSession.createTextMessage(Wire.encode(body));
      message.setStringProperty(Properties.TYPE, "dispatch");
      message.setIntProperty(Properties.SCHEMA, Wire.VERSION);
      message.setStringProperty(Properties.BEAD_ID, run.beadId());
      message.setStringProperty(Properties.BEAD_TITLE, body.title());
      message.setIntProperty(Properties.ATTEMPT, run.attempt());
      message.setLongProperty(Properties.RUN, run.run());
      message.setStringProperty(Properties.DUPLICATE_ID, body.duplicateId(storeId));
      dispatchProducer.setDeliveryDelay(Math.max(0, run.notBefore() - clock.millis()));
      dispatchProducer.send(message, DeliveryMode.PERSISTENT, body.jmsPriority(), 0);
      unpublished.remove(run.run());
      log.info("dispatched bead={} run={} attempt={}", run.beadId(), run.run(), run.attempt());
    } catch (JMSException | RuntimeException e) {
      // why: the run is committed; the timer publishes it again once the broker answers
      unpublished.add(run.run());
      log.warn(
          "dispatch of bead={} run={} not sent yet: {}", run.beadId(), run.run(), e.toString());
    }
  }

  private void republish() {
    for (Long number : List.copyOf(unpublished)) {
      ledger
          .run(number)
          .filter(r -> r.state() == RunState.DISPATCHED)
          .ifPresentOrElse(this::publish, () -> unpublished.remove(number));
    }
  }

  /** Expires leases, republishes what could not be sent. */
  private synchronized void tick() {
    if (stopped) {
      return;
    }
    try {
      Instant now = clock.instant();
      for (Map.Entry<Long, Instant> lease : List.copyOf(leaseExpiry.entrySet())) {
        if (lease.getValue().isBefore(now)) {
          RunLedger.Decision decision = ledger.expire(lease.getKey(), settings.maxAttempts());
          leaseExpiry.remove(lease.getKey());
          if (decision != null) {
            log.warn(
                "lease expired bead={} run={} worker={}: attempt ended, bead re-dispatched",
                decision.run().beadId(),
                decision.run().run(),
                decision.run().worker());
            settle(decision);
          }
        }
      }
      republish();
      pump();
    } catch (Throwable t) {
      log.error("lease check failed; will try again", t);
    }
  }

  // ---- plumbing --------------------------------------------------------------------------------

  private static String body(Message message) throws JMSException, Wire.WireException {
    if (!(message instanceof TextMessage text)) {
      throw new Wire.WireException("not a text message: " + message.getClass().getSimpleName());
    }
    return text.getText();
  }

  private static String id(Message message) {
    try {
      return message.getJMSMessageID();
    } catch (JMSException e) {
      return "(unknown id)";
    }
  }

  /** A message that can never be processed: to the dead-letter queue at once, with the reason. */
  private void deadLetter(Session session, Message message, String queue, String reason) {
    try {
      try (MessageProducer producer =
          session.createProducer(session.createQueue(Addresses.DEAD_LETTER))) {
        Message copy =
            message instanceof TextMessage text
                ? session.createTextMessage(text.getText())
                : session.createMessage();
        copy.setStringProperty(Properties.DEAD_LETTER_REASON, queue + ": " + reason);
        copy.setStringProperty("bpOriginalMessageId", id(message));
        producer.send(copy);
      }
      session.commit();
      synchronized (this) {
        deadLettered++;
      }
      log.error(
          "poison message {} on {} moved to {}: {}",
          id(message),
          queue,
          Addresses.DEAD_LETTER,
          reason);
    } catch (JMSException e) {
      rollback(session, message, queue, e);
    }
  }

  private static void rollback(Session session, Message message, String queue, Exception cause) {
    log.warn(
        "message {} on {} not processed, it will be redelivered (the broker dead-letters it after"
            + " repeated failures): {}",
        id(message),
        queue,
        cause.toString(),
        cause);
    try {
      session.rollback();
    } catch (JMSException e) {
      log.warn("rollback failed", e);
    }
  }

  /** Stops taking messages and closes the broker connection; the store stays open (its owner's). */
  @Override
  public void close() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
    }
    if (timer != null) {
      timer.shutdownNow();
    }
    if (connection != null) {
      try {
        connection.close();
      } catch (JMSException e) {
        log.warn("closing the broker connection", e);
      }
    }
    log.info("coordinator stopped");
  }
}
