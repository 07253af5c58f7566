package dev.beadpool.dispatch;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.IssueTypes;
import dev.beadpool.config.AgentConfig;
import dev.beadpool.graph.BeadState;
import dev.beadpool.graph.ReadyEngine;
import dev.beadpool.graph.SortPolicy;
import dev.beadpool.messaging.BoundedConsumer;
import dev.beadpool.messaging.BrokerLink;
import dev.beadpool.messaging.DeadLetters;
import dev.beadpool.messaging.MessageBodies;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.ClaimRequest;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.Heartbeat;
import dev.beadpool.protocol.Properties;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.protocol.Wire;
import dev.beadpool.protocol.WorkerPresence;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.NewBead;
import dev.beadpool.store.Run;
import dev.beadpool.store.RunLedger;
import dev.beadpool.store.RunState;
import jakarta.jms.CompletionListener;
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
import java.util.concurrent.ConcurrentHashMap;
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

  /** The id prefix of new beads, for the workers' bd; read once (finding it may scan the store). */
  private String prefix;

  /** In-flight runs by bead id: at most one per bead. */
  private final Map<String, Run> active = new HashMap<>();

  private final Map<Long, Instant> leaseExpiry = new HashMap<>();

  /**
   * No lease expires before this: while the broker is away, and for a lease after it is back or
   * after this process was paused, workers could not have been heard from.
   */
  private Instant silenceProvesNothingUntil = Instant.MIN;

  /** When the lease timer last ran: a long gap means this process was paused (GC, SIGSTOP). */
  private Instant lastTick;

  /**
   * Runs whose worker has been heard from since the claim (a heartbeat for the lease): their agent
   * started. A lease that lapses before that is a claim no agent took: released, no attempt spent.
   */
  private final Set<Long> confirmed = new HashSet<>();

  /** Committed runs whose dispatch message could not be sent yet (broker trouble). */
  private final Set<Long> unpublished = new LinkedHashSet<>();

  /** Runs committed (or about to be, in a batch) whose dispatch is sent once the store commits. */
  private final List<Run> outbox = new ArrayList<>();

  /** The graph disagreed with the store inside a batch: rebuild once the batch commits. */
  private boolean resyncNeeded;

  private final TreeSet<BeadState> waiting;
  private final Set<String> waitingIds = new HashSet<>();

  /**
   * The profile of each waiting bead, routed once while it waits (only while some profile has a
   * limit: its own max-in-flight, or no live worker): a pump then skips the beads of full profiles
   * without reading the store.
   */
  private final Map<String, String> waitingProfiles = new HashMap<>();

  /** Each worker heard from: its last presence, and when it was last heard from at all. */
  private final Map<String, Seen> workersSeen = new HashMap<>();

  /** Since when each profile has had beads waiting that no live worker takes. */
  private final Map<String, Instant> stalledSince = new HashMap<>();

  /** Profiles whose stall has been logged, so the warning is said once per stall. */
  private final Set<String> stallsLogged = new HashSet<>();

  private record Seen(WorkerPresence presence, Instant at) {}

  /** Whether a worker was heard from within the last lease: the one rule for a live worker. */
  private boolean live(Seen seen) {
    return seen.at().isAfter(clock.instant().minus(settings.lease()));
  }

  /** Watchers of the pool: {@code beadpool watch}, {@code wait}, {@code logs --follow}. */
  private final PoolEvents events = new PoolEvents();

  /** Events of changes not committed yet: published by {@link #flushOutbox}, after the commit. */
  private final List<PoolEvent> happened = new ArrayList<>();

  /** The last non-blank output line of each running run, for {@code beadpool ps}. */
  private final Map<Long, String> lastLines = new ConcurrentHashMap<>();

  private long closed;
  private long handoffs;
  private long blockedByDiscovery;
  private long retried;
  private long failureBeads;
  private long staleResults;
  private long forgedResults;
  private long deadLettered;

  private final BrokerLink link;
  private Session dispatchSession;
  private MessageProducer dispatchProducer;
  private ScheduledExecutorService timer;
  private Thread resultThread;
  private boolean started;
  private volatile boolean stopped;

  public Coordinator(BeadStore store, CoordinatorSettings settings, Clock clock) {
    this.store = store;
    this.ledger = new RunLedger(store, settings.agents().workerSessions(), settings.humanLabels());
    this.settings = settings;
    this.clock = clock;
    this.waiting = new TreeSet<>(SortPolicy.PRIORITY.comparator(clock.instant()));
    this.link =
        new BrokerLink(settings.broker().connectionFactory(true), "coordinator", settings.broker())
            .listen(this::openSessions, this::brokerLost);
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
    prefix = store.prefix();
    Instant now = clock.instant();
    for (Run run : ledger.inFlight()) {
      active.put(run.beadId(), run);
      if (run.state() == RunState.RUNNING) {
        leaseExpiry.put(run.run(), now.plus(settings.lease()));
      } else {
        unpublished.add(run.run());
      }
    }
    // why: a crashed predecessor's consumers stay on the results queue until the broker drops its
    // connection (ClusterIT saw 14 s with a 10 s TTL on a loaded machine), and the broker hands
    // them results in turn with ours: silence is no proof of a dead worker until then, for the
    // runs restored here and the ones claimed meanwhile alike
    if (!active.isEmpty()) {
      // runs in flight: a predecessor had work, so it may have crashed with consumers attached
      silenceProvesNothingUntil =
          now.plus(settings.lease()).plus(settings.broker().connectionTtl().multipliedBy(2));
    }
    log.info("restored {} in-flight runs ({} to republish)", active.size(), unpublished.size());
    for (BeadState ready : engine.ready(SortPolicy.PRIORITY, now, 0)) {
      consider(ready.id());
    }
    pump();
    try {
      link.connect();
    } catch (JMSException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot connect to the broker " + settings.broker().url(), e);
    }
    republish();
    flushOutbox();

    resultThread = new Thread(this::resultLoop, "coordinator-results");
    resultThread.setDaemon(true);
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "coordinator-leases");
              t.setDaemon(true);
              return t;
            });
    long every = settings.leaseCheck().toMillis();
    lastTick = clock.instant();
    timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    resultThread.start();
    log.info(
        "coordinator started: {} ready, {} dispatched",
        waiting.size() + active.size(),
        active.size());
  }

  /**
   * The sessions and consumers of one broker connection (the first, and each after an outage).
   * Claims and heartbeats come on multicast addresses: a crashed predecessor's subscription cannot
   * hold them back, so a restarted coordinator answers claims at once.
   */
  private void openSessions(Connection connection) throws JMSException {
    Session dispatch = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    // why anonymous: each profile has its own queue
    MessageProducer producer = dispatch.createProducer(null);
    producer.setDeliveryMode(DeliveryMode.PERSISTENT);
    // why auto-acknowledge: claims are non-persistent and idempotent; one lost is asked again
    Session claims = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageProducer replies = claims.createProducer(null);
    bounded(claims, claims.createTopic(Addresses.CLAIMS)).listen(m -> onClaim(claims, replies, m));
    Session heartbeats = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    bounded(heartbeats, heartbeats.createTopic(Addresses.HEARTBEATS)).listen(this::onHeartbeat);
    // workers' presence, non-persistent and multicast: none is kept while no coordinator listens
    Session presences = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    bounded(presences, presences.createTopic(Addresses.PRESENCE)).listen(this::onPresence);
    // agents' output, non-persistent: relayed to watchers, the last line kept for `beadpool ps`
    Session output = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    bounded(output, output.createTopic(Addresses.OUTPUT)).listen(this::onOutput);
    // dispatches the broker itself dead-lettered (too many deliveries): not yet explained by us
    // why auto-acknowledge: acknowledged once handled; a crash before redelivers it, and the run
    // has moved on by then (a second note in the dead-letter queue says so)
    Session deadLetters = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    bounded(
            deadLetters,
            deadLetters.createQueue(Addresses.DEAD_LETTER),
            Properties.TYPE + " = 'dispatch' AND " + Properties.DEAD_LETTER_REASON + " IS NULL")
        .listen(m -> onDeadLetteredDispatch(deadLetters, m));
    synchronized (this) {
      dispatchSession = dispatch;
      dispatchProducer = producer;
      dispatchQueues.clear();
      if (silenceProvesNothingUntil.equals(Instant.MAX)) {
        // why: workers reconnect on their own time; give each a lease to be heard from again, and
        // the broker a TTL to drop consumers of ours it may not know are gone
        silenceProvesNothingUntil =
            clock.instant().plus(settings.lease()).plus(settings.broker().connectionTtl());
      }
    }
  }

  /** A consumer that reads no body over --max-message-size: see {@link BoundedConsumer}. */
  private BoundedConsumer bounded(Session session, Destination destination) throws JMSException {
    return bounded(session, destination, null);
  }

  /** The same, for the messages that match {@code filter} only. */
  private BoundedConsumer bounded(Session session, Destination destination, String filter)
      throws JMSException {
    return BoundedConsumer.of(session, destination, filter, settings.broker().maxMessageBytes());
  }

  /** The broker is gone: nothing can be sent, and no worker can be heard from until it is back. */
  private synchronized void brokerLost() {
    dispatchSession = null;
    dispatchProducer = null;
    silenceProvesNothingUntil = Instant.MAX;
  }

  // ---- the human side: changes made through the coordinator ------------------------------------

  /**
   * What to do when the broker refuses this process a permission it needs (a login of the wrong
   * role): the command that runs it stops with the reason, instead of staying alive and useless.
   */
  public void onRefused(java.util.function.Consumer<String> handler) {
    link.onRefused(handler);
  }

  /** Closes a bead by hand (a gate, a failure bead) and dispatches what that releases. */
  public synchronized Bead close(String id, String reason, String actor) {
    return close(id, reason, true, actor);
  }

  /** {@code beadpool close} through the coordinator: bd's rules, then dispatch. */
  public synchronized Bead close(String id, String reason, boolean force, String actor) {
    Bead bead = store.close(id, reason, force, actor);
    afterChange(bead);
    flushOutbox();
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
    flushOutbox();
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
    flushOutbox();
    return bead;
  }

  /** {@code beadpool dep add} through the coordinator; the cycle check is the store's. */
  public synchronized void addDependency(String from, String to, String type, String actor) {
    store.addDependency(from, to, type, actor);
    considerAll(addToEngine(new dev.beadpool.graph.Edge(from, to, type, null)));
    pump();
    flushOutbox();
  }

  /** {@code beadpool dep remove} through the coordinator: may release the dependent. */
  public synchronized void removeDependency(String from, String to, String actor) {
    store.removeDependency(from, to, actor);
    considerAll(engine.removeEdge(from, to));
    consider(from);
    pump();
    flushOutbox();
  }

  /**
   * {@code beadpool import} through the coordinator: the graph is reloaded and ready beads go out.
   */
  public synchronized dev.beadpool.store.ImportResult importFile(
      java.nio.file.Path file, String actor) throws java.io.IOException {
    dev.beadpool.store.ImportResult result = store.importFile(file, actor, null);
    engine = store.loadEngine();
    prefix = store.prefix();
    for (BeadState ready : engine.ready(SortPolicy.PRIORITY, clock.instant(), 0)) {
      consider(ready.id());
    }
    pump();
    flushOutbox();
    return result;
  }

  private Set<String> addToEngine(dev.beadpool.graph.Edge edge) {
    try {
      return engine.addEdge(edge);
    } catch (dev.beadpool.graph.GraphException e) {
      // why: the store accepted it under the same rules; a disagreement means the graph is stale
      log.warn(
          "graph refused {} the store accepted ({}); rebuilding from the store",
          edge,
          e.getMessage());
      resyncNeeded = true;
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
    List<WorkerInfo> workers = liveWorkers();
    return new PoolStatus(
        waitingIds.size(),
        dispatched,
        running,
        closed,
        retried,
        failureBeads,
        staleResults,
        deadLettered,
        workers,
        stalled(workers),
        handoffs,
        blockedByDiscovery,
        forgedResults,
        link.outages(),
        humanHolds().all());
  }

  /** What the open human beads (approval gates, failure beads) hold back, read now. */
  private HumanHolds humanHolds() {
    Map<String, Bead> open = new java.util.TreeMap<>();
    for (String label : settings.humanLabels()) {
      store.openWithLabel(label).forEach(b -> open.putIfAbsent(b.id(), b));
    }
    return new HumanHolds(engine, List.copyOf(open.values()), settings.humanLabels());
  }

  /** The workers heard from within the last lease, by id. */
  private List<WorkerInfo> liveWorkers() {
    List<WorkerInfo> live = new ArrayList<>();
    workersSeen.forEach(
        (id, seen) -> {
          if (live(seen)) {
            WorkerPresence p = seen.presence();
            live.add(
                p == null
                    ? new WorkerInfo(id, null, 0, 0, List.of(), seen.at().toString())
                    : new WorkerInfo(
                        id,
                        p.profiles(),
                        p.slots(),
                        p.busy(),
                        p.openCircuits(),
                        seen.at().toString()));
          }
        });
    live.sort(java.util.Comparator.comparing(WorkerInfo::id));
    return live;
  }

  /**
   * Profiles with dispatched beads that no live worker takes: none serves the profile, or every one
   * that does has its circuit open.
   */
  private List<StalledProfile> stalled(List<WorkerInfo> workers) {
    Map<String, Integer> queued = new java.util.TreeMap<>();
    for (Run run : active.values()) {
      if (run.state() == RunState.DISPATCHED) {
        queued.merge(run.profile(), 1, Integer::sum);
      }
    }
    Map<String, Integer> held = new HashMap<>();
    waitingProfiles.forEach(
        (id, profile) -> {
          if (profile != null && waitingIds.contains(id)) {
            held.merge(profile, 1, Integer::sum);
          }
        });
    List<StalledProfile> stalled = new ArrayList<>();
    queued.forEach(
        (profile, beads) -> {
          if (workers.stream().noneMatch(w -> w.takes(profile))) {
            boolean served =
                workers.stream()
                    .anyMatch(w -> w.profiles() == null || w.profiles().contains(profile));
            stalled.add(
                new StalledProfile(
                    profile,
                    beads,
                    held.getOrDefault(profile, 0),
                    workers.isEmpty()
                        ? "no worker heard from"
                        : served
                            ? "the agent circuit of profile "
                                + profile
                                + " is open on every worker that serves it"
                            : "no live worker serves profile " + profile));
          }
        });
    return stalled;
  }

  /**
   * Says once, after {@code lease} of it, that a profile's beads wait for a worker that is not
   * there (in the log, and to the beads' watchers); and in the log when they move again.
   */
  private void logStalls(Instant now) {
    for (java.util.Iterator<Map.Entry<String, Seen>> it = workersSeen.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, Seen> worker = it.next();
      if (!live(worker.getValue())) {
        // why drop it: workers come and go (scaled, restarted under new ids); none is kept forever
        it.remove();
        log.warn(
            "worker {} not heard from for {}: dropped from the pool",
            worker.getKey(),
            dev.beadpool.config.Durations.format(settings.lease()));
      }
    }
    List<StalledProfile> stalled = stalled(liveWorkers());
    Set<String> names = new HashSet<>();
    for (StalledProfile s : stalled) {
      names.add(s.profile());
      Instant since = stalledSince.computeIfAbsent(s.profile(), p -> now);
      if (!now.isBefore(since.plus(settings.lease())) && stallsLogged.add(s.profile())) {
        for (Run run : active.values()) {
          if (run.state() == RunState.DISPATCHED && run.profile().equals(s.profile())) {
            happened.add(PoolEvent.stalled(run, s.why(), now));
          }
        }
        log.warn(
            "{} bead(s) of profile {} waiting on {} for {}: {}",
            s.beads(),
            s.profile(),
            Addresses.dispatch(s.profile()),
            dev.beadpool.config.Durations.format(java.time.Duration.between(since, now)),
            s.why());
      }
    }
    stalledSince.keySet().retainAll(names);
    for (java.util.Iterator<String> it = stallsLogged.iterator(); it.hasNext(); ) {
      String profile = it.next();
      if (!names.contains(profile)) {
        it.remove();
        log.info("beads of profile {} are taken by workers again", profile);
      }
    }
  }

  public RunLedger ledger() {
    return ledger;
  }

  // ---- messages --------------------------------------------------------------------------------

  private void onClaim(Session session, MessageProducer replies, Message message) {
    try {
      ClaimRequest request = Wire.decode(body(message), ClaimRequest.class);
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
        deadLetterInBatch(session, message, Addresses.CLAIMS, e.getMessage());
      } catch (JMSException sendFailed) {
        log.warn(
            "poison claim {} could not be dead-lettered: {}", id(message), sendFailed.toString());
      }
    } catch (JMSException e) {
      // why no trace: the broker went away; the worker asks again once it is back
      log.warn("claim {} not answered: {}", id(message), e.toString());
    } catch (Exception e) {
      // why: the worker asks again; nothing to redeliver here
      log.warn("claim {} not answered: {}", id(message), e.toString(), e);
    }
  }

  private synchronized ClaimReply claim(ClaimRequest request) {
    heardFrom(request.worker());
    RunLedger.ClaimDecision decision =
        ledger.claim(
            request.beadId(),
            request.run(),
            request.worker(),
            UUID.randomUUID().toString(),
            request.leaseProof());
    if (decision.granted()) {
      Run run = decision.run();
      active.put(run.beadId(), run);
      leaseExpiry.put(run.run(), clock.instant().plus(settings.lease()));
      engine.put(BeadState.of(decision.bead()));
      events.publish(PoolEvent.claimed(run, clock.instant()));
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
      java.util.Optional.ofNullable(decision.run())
          .filter(r -> !r.state().inFlight())
          .ifPresent(
              r -> {
                happened.add(
                    PoolEvent.runEnded(r, PoolEvent.REFUSED, decision.reason(), clock.instant()));
                active.remove(r.beadId());
                unpublished.remove(r.run());
                pump();
              });
    }
    flushOutbox();
    return ClaimReply.refused(request.beadId(), request.run(), decision.reason());
  }

  /** Results applied per broker transaction, at most. */
  static final int RESULT_BATCH = 64;

  /**
   * Takes the results that are there (up to {@link #RESULT_BATCH}), applies them in one store
   * transaction, publishes what they released, then acknowledges them to the broker.
   *
   * <p>why batches: every commit, the store's and the broker's, waits for a sync of its disk, which
   * capped the pool at one result per sync. A crash between the store's commit and the broker's
   * leaves results to be redelivered; they are then no longer for a running run, so they change
   * nothing.
   */
  private void resultLoop() {
    link.serve(
        "results",
        () -> stopped,
        connection -> {
          Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
          BoundedConsumer consumer = bounded(session, session.createQueue(Addresses.RESULTS));
          while (!stopped) {
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
          results.add(Wire.decode(body(message), RunResult.class));
        } catch (Wire.WireException e) {
          deadLetterInBatch(session, message, Addresses.RESULTS, e.getMessage());
        }
        message = taken < RESULT_BATCH ? consumer.receiveNoWait() : null;
      }
      if (!results.isEmpty()) {
        applyResults(results);
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

  /**
   * Applies a batch of results in one store transaction (one fsync), then publishes what they
   * released. If the transaction fails, memory is rebuilt from the store and the results are
   * redelivered.
   */
  private synchronized void applyResults(List<RunResult> results) {
    try {
      store.batch(
          () -> {
            results.forEach(this::applyResult);
            return null;
          });
    } catch (RuntimeException e) {
      resync();
      throw e;
    }
    flushOutbox();
  }

  private synchronized void applyResult(RunResult result) {
    Run current = active.get(result.beadId());
    RunLedger.Decision decision =
        ledger.apply(
            result,
            settings.maxAttempts(),
            settings.agents().maxTurns(current == null ? null : current.profile()));
    if (decision.effect() == RunLedger.Effect.FORGED) {
      forgedResults++;
      log.warn(
          "forged result rejected bead={} run={} worker={} outcome={}: it does not carry the"
              + " secret of the run's claim",
          result.beadId(),
          result.run(),
          result.worker(),
          result.outcome());
      return;
    }
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
    happened.add(
        PoolEvent.runEnded(decision.run(), outcome(decision), result.error(), clock.instant()));
    settle(decision);
  }

  /**
   * A dispatch the broker dead-lettered after its delivery attempts: the run fails with the reason
   * (a retry, in the end a failure bead: never a bead dispatched forever), and the message goes
   * back to the dead-letter queue with that reason for whoever looks.
   */
  private void onDeadLetteredDispatch(Session session, Message message) {
    try {
      String beadId = message.getStringProperty(Properties.BEAD_ID);
      long run = message.getLongProperty(Properties.RUN);
      String why =
          "the broker dead-lettered the dispatch after its delivery attempts, no worker having"
              + " taken it";
      String outcome = deadLetteredDispatch(beadId, run, why);
      try (MessageProducer producer =
          session.createProducer(session.createQueue(Addresses.DEAD_LETTER))) {
        producer.send(
            DeadLetters.copy(
                session,
                message,
                Addresses.dispatch(message.getStringProperty(Properties.PROFILE)),
                why + "; " + outcome,
                settings.broker().maxMessageBytes()));
      }
    } catch (Exception e) {
      log.warn(
          "dead-lettered dispatch {} not explained in the queue: {}", id(message), e.toString());
    }
  }

  /** Brings a run whose dispatch was dead-lettered to a known state; says what became of it. */
  private synchronized String deadLetteredDispatch(String beadId, long run, String why) {
    deadLettered++;
    RunLedger.Decision decision = ledger.dispatchDeadLettered(run, settings.maxAttempts(), why);
    if (decision == null) {
      return "run " + run + " had moved on already";
    }
    log.warn("bead={} run={}: {}; the run failed", beadId, run, why);
    unpublished.remove(run);
    happened.add(PoolEvent.runEnded(decision.run(), outcome(decision), why, clock.instant()));
    settle(decision);
    flushOutbox();
    return "run "
        + run
        + " failed ("
        + decision.effect().name().toLowerCase(java.util.Locale.ROOT)
        + ")";
  }

  private void onOutput(Message message) {
    try {
      dev.beadpool.protocol.OutputLines lines =
          Wire.decode(body(message), dev.beadpool.protocol.OutputLines.class);
      recordOutput(lines.beadId(), lines.run(), lines.lines());
    } catch (Wire.WireException e) {
      log.debug("unreadable output {} dropped: {}", id(message), e.getMessage());
    } catch (Exception e) {
      log.debug("output {} not relayed", id(message), e);
    }
  }

  private void onPresence(Message message) {
    try {
      presence(Wire.decode(body(message), WorkerPresence.class));
    } catch (Wire.WireException e) {
      log.debug("unreadable presence {} dropped: {}", id(message), e.getMessage());
    } catch (Exception e) {
      log.warn("presence {} not applied", id(message), e);
    }
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

  private synchronized void presence(WorkerPresence presence) {
    if (presence.worker() == null) {
      return;
    }
    if (presence.leaving()) {
      workersSeen.remove(presence.worker());
      log.info("worker {} left the pool", presence.worker());
    } else {
      Seen before = workersSeen.put(presence.worker(), new Seen(presence, clock.instant()));
      if (before == null
          || before.presence() == null
          || !before.presence().profiles().equals(presence.profiles())) {
        log.info(
            "worker {} joined the pool: profiles {}, {} slots",
            presence.worker(),
            String.join(",", presence.profiles()),
            presence.slots());
        if (started && !stopped) {
          // why now: beads held back for a profile nobody served can go to this worker
          pump();
          flushOutbox();
        }
      }
    }
  }

  /** A claim or a heartbeat: the worker is alive; what it serves stays as it last said. */
  private void heardFrom(String worker) {
    if (worker != null) {
      Seen seen = workersSeen.get(worker);
      workersSeen.put(worker, new Seen(seen == null ? null : seen.presence(), clock.instant()));
    }
  }

  private synchronized void heartbeat(Heartbeat beat) {
    heardFrom(beat.worker());
    Run run = active.get(beat.beadId());
    if (run != null
        && run.run() == beat.run()
        && run.state() == RunState.RUNNING
        && beat.leaseId() != null
        && beat.leaseId().equals(run.leaseId())) {
      leaseExpiry.put(run.run(), clock.instant().plus(settings.lease()));
      confirmed.add(run.run());
    }
  }

  // ---- state changes ---------------------------------------------------------------------------

  /** Brings memory in line with a ledger decision and dispatches what follows from it. */
  private void settle(RunLedger.Decision decision) {
    Run run = decision.run();
    active.remove(run.beadId());
    leaseExpiry.remove(run.run());
    confirmed.remove(run.run());
    lastLines.remove(run.run());
    if (decision.applied() != null) {
      applyGraphChanges(decision.applied());
    }
    Bead bead = store.get(run.beadId());
    switch (decision.effect()) {
      case HANDOFF -> {
        handoffs++;
        log.info(
            "handoff bead={} after turn {}: a fresh agent takes the next turn",
            bead.id(),
            run.turn());
        engine.put(BeadState.of(bead));
        consider(bead.id());
      }
      case BLOCKED -> {
        blockedByDiscovery++;
        log.info("bead={} waits for blockers its agent found", bead.id());
        considerAll(engine.put(BeadState.of(bead)));
      }
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
        happened.add(PoolEvent.failureBead(run, decision.failureBead(), clock.instant()));
        // why: inside a batch, fresh readers cannot see the failure bead yet; update in place
        Bead failure = store.get(decision.failureBead());
        engine.put(BeadState.of(failure));
        addToEngine(
            new dev.beadpool.graph.Edge(
                bead.id(), failure.id(), dev.beadpool.bead.DependencyType.BLOCKS, null));
        engine.put(BeadState.of(bead));
      }
      case RELEASED -> {
        engine.put(BeadState.of(bead));
        consider(bead.id());
      }
      default -> {}
    }
    pump();
  }

  /**
   * Brings the graph in line with what an agent's bd operations changed (beads first, so new beads
   * exist before their edges) and queues what became ready.
   */
  private void applyGraphChanges(dev.beadpool.store.AppliedOperations applied) {
    Set<String> consider = new LinkedHashSet<>();
    for (String id : applied.touched()) {
      store
          .find(id)
          .ifPresent(
              b -> {
                consider.addAll(engine.put(BeadState.of(b)));
                consider.add(id);
                if (b.isClosed() && b.labels().contains(RunLedger.FAILURE_LABEL)) {
                  ledger.failureBeadClosed(id).ifPresent(consider::add);
                }
              });
    }
    for (dev.beadpool.graph.Edge e : applied.removed()) {
      consider.addAll(engine.removeEdge(e.from(), e.to()));
      consider.add(e.from());
    }
    for (dev.beadpool.graph.Edge e : applied.added()) {
      consider.addAll(addToEngine(e));
    }
    considerAll(consider);
  }

  /** After a bead changed state: update the graph and dispatch what became ready. */
  private void afterChange(Bead bead) {
    Set<String> flipped = engine.put(BeadState.of(bead));
    happened.add(
        bead.isClosed()
            ? PoolEvent.closed(bead.id(), clock.instant())
            : PoolEvent.status(bead.id(), bead.status(), clock.instant()));
    waitingIds.remove(bead.id());
    waitingProfiles.remove(bead.id());
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

  /**
   * Dispatches waiting beads, best first, while there is room under max-in-flight; a bead whose
   * profile is at its own limit waits and the next one goes. A profile no live worker serves gets
   * one run on its queue, not more: the others wait here, so a profile without workers cannot take
   * the whole pool's max-in-flight.
   */
  private void pump() {
    Set<String> unserved = unservedProfiles();
    if (!settings.agents().hasProfileLimits() && unserved.isEmpty()) {
      while (active.size() < settings.maxInFlight() && !waiting.isEmpty()) {
        BeadState next = waiting.pollFirst();
        waitingIds.remove(next.id());
        if (dispatchable(next.id())) {
          dispatch(next.id(), 0);
        }
      }
      return;
    }
    Map<String, Integer> inFlight = new HashMap<>();
    for (Run run : active.values()) {
      inFlight.merge(run.profile(), 1, Integer::sum);
    }
    java.util.Iterator<BeadState> it = waiting.iterator();
    while (active.size() < settings.maxInFlight() && it.hasNext()) {
      String id = it.next().id();
      String profile = waitingProfiles.computeIfAbsent(id, this::route);
      if (profile != null) {
        int limit = unserved.contains(profile) ? 1 : settings.agents().maxInFlight(profile);
        if (limit > 0 && inFlight.getOrDefault(profile, 0) >= limit) {
          continue;
        }
        inFlight.merge(profile, 1, Integer::sum);
      }
      it.remove();
      waitingIds.remove(id);
      waitingProfiles.remove(id);
      if (dispatchable(id)) {
        dispatch(id, 0);
      }
    }
  }

  /**
   * The profiles of beadpool.yaml that no live worker has said it serves (all of them until the
   * first worker announces itself); none without profiles in beadpool.yaml, where every worker
   * serves the default profile.
   */
  private Set<String> unservedProfiles() {
    if (settings.agents().profiles().isEmpty()) {
      return Set.of();
    }
    Set<String> unserved = new HashSet<>(settings.agents().profiles().keySet());
    unserved.add(AgentConfig.DEFAULT_PROFILE);
    for (Seen seen : workersSeen.values()) {
      if (seen.presence() != null && live(seen)) {
        seen.presence().profiles().forEach(unserved::remove);
      }
    }
    return unserved;
  }

  /** The profile a bead's next run goes to, or null if the bead is gone. */
  private String route(String id) {
    return store
        .find(id)
        .map(bead -> settings.agents().route(bead, ledger.failures(id) + 1))
        .orElse(null);
  }

  private void dispatch(String beadId, long delayMillis) {
    Run run =
        ledger.dispatch(
            beadId,
            clock.millis() + delayMillis,
            (bead, attempt) -> settings.agents().route(bead, attempt));
    active.put(beadId, run);
    outbox.add(run);
    happened.add(PoolEvent.dispatched(run, clock.instant()));
  }

  /**
   * What the worker's bd needs besides the bead: the id prefix, the beads it depends on, its
   * dependents and its parent, and the child numbers already used.
   */
  private com.fasterxml.jackson.databind.node.ObjectNode bdContext(Bead bead) {
    var context = dev.beadpool.bead.Json.MAPPER.createObjectNode();
    context.put("prefix", prefix);
    var related = context.putArray("related");
    Set<String> seen = new HashSet<>();
    seen.add(bead.id());
    for (dev.beadpool.bead.Dependency d : bead.dependencies()) {
      if (seen.add(d.dependsOnId())) {
        store.find(d.dependsOnId()).ifPresent(b -> related.add(b.json()));
      }
    }
    for (Map.Entry<Bead, String> e : store.dependents(bead.id())) {
      if (seen.add(e.getKey().id())) {
        related.add(e.getKey().json());
      }
    }
    var counters = context.putObject("childCounters");
    counters.put(bead.id(), store.lastChild(bead.id()));
    if (bead.parent() != null) {
      counters.put(bead.parent(), store.lastChild(bead.parent()));
    }
    return context;
  }

  /** Publishes what was dispatched, after the store committed it. */
  private void flushOutbox() {
    List<PoolEvent> committed = List.copyOf(happened);
    happened.clear();
    if (resyncNeeded) {
      resyncNeeded = false;
      resync();
    }
    List<Run> runs = List.copyOf(outbox);
    outbox.clear();
    runs.forEach(this::publish);
    committed.forEach(events::publish);
  }

  /**
   * Rebuilds everything in memory from the store: after a batch that rolled back, memory may hold
   * changes the store does not. In-flight runs not yet claimed are published again (the broker
   * drops the ones it already has).
   */
  private void resync() {
    log.warn("rebuilding the coordinator's state from the store");
    outbox.clear();
    happened.clear();
    engine = store.loadEngine();
    active.clear();
    waiting.clear();
    waitingIds.clear();
    waitingProfiles.clear();
    Instant now = clock.instant();
    Set<Long> running = new HashSet<>();
    for (Run run : ledger.inFlight()) {
      active.put(run.beadId(), run);
      if (run.state() == RunState.RUNNING) {
        running.add(run.run());
        leaseExpiry.putIfAbsent(run.run(), now.plus(settings.lease()));
      } else {
        unpublished.add(run.run());
      }
    }
    leaseExpiry.keySet().retainAll(running);
    confirmed.retainAll(running);
    for (BeadState ready : engine.ready(SortPolicy.PRIORITY, now, 0)) {
      consider(ready.id());
    }
    republish();
    pump();
  }

  private void publish(Run run) {
    if (dispatchSession == null) {
      unpublished.add(run.run()); // why quiet: the broker is away; sent once it is back
      return;
    }
    try {
      Bead bead = store.get(run.beadId());
      DispatchMessage body =
          DispatchMessage.of(
              run.beadId(),
              run.run(),
              run.attempt(),
              bead.json(),
              run.profile(),
              run.turn(),
              bdContext(bead));
      TextMessage message = dispatchSession.createTextMessage(Wire.encode(body));
      message.setStringProperty(Properties.TYPE, "dispatch");
      message.setIntProperty(Properties.SCHEMA, Wire.VERSION);
      message.setStringProperty(Properties.BEAD_ID, run.beadId());
      // why cut: properties travel in the message's header, which the broker bounds; the whole
      // title is in the body, this one only shows in the console
      message.setStringProperty(Properties.BEAD_TITLE, Properties.shortTitle(body.title()));
      message.setIntProperty(Properties.ATTEMPT, run.attempt());
      message.setLongProperty(Properties.RUN, run.run());
      message.setStringProperty(Properties.PROFILE, body.profile());
      message.setIntProperty(Properties.TURN, body.turn());
      message.setStringProperty(Properties.DUPLICATE_ID, body.duplicateId(storeId));
      dispatchProducer.setDeliveryDelay(Math.max(0, run.notBefore() - clock.millis()));
      // why: asynchronous, so the coordinator does not wait for the broker's journal; the run is
      // committed already, and a send the broker refuses is published again by the timer
      unpublished.remove(run.run());
      dispatchProducer.send(
          dispatchQueue(body.profile()),
          message,
          DeliveryMode.PERSISTENT,
          body.jmsPriority(),
          0,
          new CompletionListener() {
            @Override
            public void onCompletion(Message sent) {}

            @Override
            public void onException(Message failed, Exception e) {
              synchronized (Coordinator.this) {
                unpublished.add(run.run());
              }
              log.warn(
                  "dispatch of bead={} run={} refused by the broker ({}); sending it again",
                  run.beadId(),
                  run.run(),
                  e.toString());
            }
          });
      log.info(
          "dispatched bead={} run={} attempt={} turn={} profile={}",
          run.beadId(),
          run.run(),
          run.attempt(),
          run.turn(),
          run.profile());
    } catch (JMSException | RuntimeException e) {
      // why: the run is committed; the timer publishes it again once the broker answers
      unpublished.add(run.run());
      log.warn(
          "dispatch of bead={} run={} not sent yet: {}", run.beadId(), run.run(), e.toString());
    }
  }

  private final Map<String, jakarta.jms.Queue> dispatchQueues = new HashMap<>();

  private jakarta.jms.Queue dispatchQueue(String profile) throws JMSException {
    jakarta.jms.Queue queue = dispatchQueues.get(profile);
    if (queue == null) {
      queue = dispatchSession.createQueue(Addresses.dispatch(profile));
      dispatchQueues.put(profile, queue);
    }
    return queue;
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
      noticePause(now);
      for (Map.Entry<Long, Instant> lease : List.copyOf(leaseExpiry.entrySet())) {
        if (lease.getValue().isBefore(now) && now.isAfter(silenceProvesNothingUntil)) {
          expire(lease.getKey());
        }
      }
      if (link.isUp()) {
        republish();
      }
      pump();
      logStalls(now);
      flushOutbox();
    } catch (Throwable t) {
      log.error("lease check failed; will try again", t);
    }
  }

  /**
   * A tick far later than its schedule means this process stood still (a GC pause, SIGSTOP, a
   * laptop lid): the heartbeats it missed prove nothing, so every lease gets a full lease again.
   */
  private void noticePause(Instant now) {
    java.time.Duration gap = java.time.Duration.between(lastTick, now);
    lastTick = now;
    if (gap.compareTo(settings.leaseCheck().multipliedBy(PAUSE_TICKS)) > 0) {
      log.warn(
          "the coordinator stood still for {} (paused?); leases get {} to be heard from again",
          dev.beadpool.config.Durations.format(gap),
          dev.beadpool.config.Durations.format(settings.lease()));
      if (silenceProvesNothingUntil.isBefore(now.plus(settings.lease()))) {
        silenceProvesNothingUntil = now.plus(settings.lease());
      }
    }
  }

  /** Lease checks missed in a row before the coordinator counts itself as having been paused. */
  static final int PAUSE_TICKS = 5;

  /**
   * Ends a run whose lease lapsed: a failed attempt if its agent started (its worker was heard from
   * after the claim, then fell silent); released with no attempt spent if not (the claim's answer
   * never reached a worker that ran it).
   */
  private void expire(long runNumber) {
    boolean started = confirmed.remove(runNumber);
    leaseExpiry.remove(runNumber);
    RunLedger.Decision decision =
        started
            ? ledger.expire(runNumber, settings.maxAttempts())
            : ledger.releaseRun(
                runNumber,
                "the claim was granted but no worker was heard from running it; no attempt spent");
    if (decision == null) {
      return;
    }
    if (started) {
      log.warn(
          "lease expired bead={} run={} worker={}: attempt ended, bead re-dispatched",
          decision.run().beadId(),
          decision.run().run(),
          decision.run().worker());
      happened.add(
          PoolEvent.runEnded(decision.run(), PoolEvent.EXPIRED, "lease expired", clock.instant()));
    } else {
      log.warn(
          "lease lapsed bead={} run={} worker={} before the worker was heard from: released, no"
              + " attempt spent",
          decision.run().beadId(),
          decision.run().run(),
          decision.run().worker());
      happened.add(
          PoolEvent.runEnded(
              decision.run(),
              PoolEvent.RELEASED,
              "claimed but never started: released",
              clock.instant()));
    }
    settle(decision);
  }

  // ---- live view: events, running runs, snapshots ----------------------------------------------

  /** The pool's events, for watchers; published after the changes they report are committed. */
  public PoolEvents events() {
    return events;
  }

  /**
   * Output lines of a run's agent, as they arrive from its worker: remembered (the last non-blank
   * one, for {@link #running}) and published. Any thread; does not take the coordinator's monitor.
   */
  public void recordOutput(String beadId, long run, List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (!lines.get(i).isBlank()) {
        lastLines.put(run, lines.get(i));
        break;
      }
    }
    events.publish(PoolEvent.output(beadId, run, lines, clock.instant()));
  }

  /** Runs that a worker holds now, oldest first, with their last output line. */
  public synchronized List<RunningRun> running() {
    Set<Long> inFlight = new HashSet<>();
    List<RunningRun> runs = new ArrayList<>();
    Instant now = clock.instant();
    for (Run run : active.values()) {
      inFlight.add(run.run());
      if (run.state() == RunState.RUNNING) {
        String title = store.find(run.beadId()).map(Bead::title).orElse("");
        runs.add(RunningRun.of(run, title, now, lastLines.get(run.run())));
      }
    }
    // why: output may arrive after its run ended (recordOutput takes no lock); forget those lines
    lastLines.keySet().retainAll(inFlight);
    runs.sort(
        java.util.Comparator.comparing(RunningRun::elapsedMillis)
            .reversed()
            .thenComparing(RunningRun::beadId));
    return runs;
  }

  /**
   * The bead as it is now, as the first event of a watcher's stream: its status, its run in flight,
   * and {@code failed} if an open failure bead blocks it.
   *
   * @throws dev.beadpool.store.BeadNotFoundException if there is no such bead
   */
  public synchronized PoolEvent snapshot(String beadId) {
    Bead bead = store.get(beadId);
    String failureBead = null;
    for (dev.beadpool.bead.Dependency d : bead.dependencies()) {
      Bead blocker = store.find(d.dependsOnId()).orElse(null);
      if (blocker != null
          && d.kind() == dev.beadpool.bead.DependencyType.BLOCKING
          && !blocker.isClosed()
          && blocker.labels().contains(RunLedger.FAILURE_LABEL)) {
        failureBead = blocker.id();
      }
    }
    Run run = active.get(beadId);
    String lastLine = run == null ? null : lastLines.get(run.run());
    // why: a watcher that comes after the stalled event still learns why the run does not start
    String stalled = null;
    if (run != null && run.state() == RunState.DISPATCHED) {
      stalled =
          stalled(liveWorkers()).stream()
              .filter(s -> s.profile().equals(run.profile()))
              .map(StalledProfile::why)
              .findFirst()
              .orElse(null);
    } else if (run == null && waitingIds.contains(beadId)) {
      String profile = waitingProfiles.get(beadId);
      if (profile != null && unservedProfiles().contains(profile)) {
        stalled = "held back: no live worker serves profile " + profile;
      }
    } else if (run == null && engine.isBlocked(beadId)) {
      // why: a bead that waits on a human says who, and what closing it releases
      stalled =
          humanHolds().holding(beadId).stream()
              .map(HumanHold::why)
              .reduce((x, y) -> x + "; " + y)
              .orElse(null);
    }
    return PoolEvent.snapshot(
        beadId, bead.status(), run, lastLine, failureBead, stalled, clock.instant());
  }

  /** What a ledger decision means for the run, as watchers see it. */
  private static String outcome(RunLedger.Decision decision) {
    return switch (decision.effect()) {
      case CLOSED -> PoolEvent.DONE;
      case RETRY -> PoolEvent.RETRY;
      case FAILURE_BEAD -> PoolEvent.FAILED;
      case RELEASED -> PoolEvent.RELEASED;
      default -> decision.effect().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  // ---- plumbing --------------------------------------------------------------------------------

  private String body(Message message) throws JMSException, Wire.WireException {
    return MessageBodies.text(message, settings.broker().maxMessageBytes());
  }

  private static String id(Message message) {
    try {
      return message.getJMSMessageID();
    } catch (JMSException e) {
      return "(unknown id)";
    }
  }

  /** Sends a poison message to the dead-letter queue in the session's transaction. */
  private void deadLetterInBatch(Session session, Message message, String queue, String reason)
      throws JMSException {
    try (MessageProducer producer =
        session.createProducer(session.createQueue(Addresses.DEAD_LETTER))) {
      producer.send(
          DeadLetters.copy(session, message, queue, reason, settings.broker().maxMessageBytes()));
    }
    synchronized (this) {
      deadLettered++;
    }
    log.error(
        "poison message {} on {} moved to {}: {}",
        id(message),
        queue,
        Addresses.DEAD_LETTER,
        reason);
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
    link.close();
    log.info("coordinator stopped");
  }
}
