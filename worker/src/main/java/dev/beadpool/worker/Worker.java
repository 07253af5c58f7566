package dev.beadpool.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.agent.AgentRun;
import dev.beadpool.agent.AgentRunner;
import dev.beadpool.agent.Workspace;
import dev.beadpool.agent.Worktrees;
import dev.beadpool.agent.bd.BdSupport;
import dev.beadpool.bead.Json;
import dev.beadpool.config.AgentProfile;
import dev.beadpool.config.Durations;
import dev.beadpool.messaging.BoundedConsumer;
import dev.beadpool.messaging.BrokerLink;
import dev.beadpool.messaging.DeadLetters;
import dev.beadpool.messaging.MessageBodies;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.BdOperation;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.ClaimRequest;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.Heartbeat;
import dev.beadpool.protocol.LeaseSecret;
import dev.beadpool.protocol.OutputLines;
import dev.beadpool.protocol.Properties;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.protocol.Wire;
import dev.beadpool.protocol.WorkerPresence;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes dispatched beads from the broker, claims each from the coordinator, runs the agent,
 * heartbeats while it runs and reports the result. No store: it talks only to the broker.
 *
 * <p>Threads: one per slot ({@code worker-slot-N}), each with its own JMS session that takes a
 * message only when the slot is free (no prefetch); one heartbeat thread with its own session.
 * {@link #close()} stops taking beads, lets running agents finish within the grace period, then
 * kills the rest and releases them (re-dispatched at once, no attempt spent), and closes the broker
 * connection last.
 *
 * <p>Faults: the broker connection heals itself ({@link BrokerLink}); a slot whose session fails
 * takes a new one from the new connection and goes on. An agent keeps running across a broker
 * outage; its result waits in {@link #unsent} (and its lease is kept alive by heartbeats) until the
 * broker takes it.
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final long POLL_MILLIS = 250;

  private final WorkerSettings settings;
  private final AgentRunner runner;

  /** One circuit per profile served: a broken agent backend stops only its own profile. */
  private final Map<String, CircuitBreaker> breakers = new java.util.LinkedHashMap<>();

  private final Map<Long, Running> running = new ConcurrentHashMap<>();

  /**
   * Results not yet confirmed by the broker, by run: heartbeated like running runs, so their leases
   * live until the coordinator has them.
   */
  private final Map<Long, Unsent> unsent = new ConcurrentHashMap<>();

  private final List<Thread> slots = new ArrayList<>();
  private volatile boolean stopping;
  private final BrokerLink link;
  private Session heartbeatSession;
  private Session outputSession;
  private MessageProducer outputProducer;
  private final Object outputLock = new Object();
  private MessageProducer heartbeatProducer;
  private MessageProducer presenceProducer;
  private ScheduledExecutorService heartbeats;

  /** A run in progress on this worker. */
  private static final class Running {
    final DispatchMessage dispatch;
    final String leaseId;
    final LeaseSecret secret;
    volatile Process process;
    volatile boolean released;

    Running(DispatchMessage dispatch, String leaseId, LeaseSecret secret) {
      this.dispatch = dispatch;
      this.leaseId = leaseId;
      this.secret = secret;
    }
  }

  /** A result on its way: {@code resend} once the broker refused it or the send failed. */
  private static final class Unsent {
    final RunResult result;
    final java.util.concurrent.atomic.AtomicBoolean resend =
        new java.util.concurrent.atomic.AtomicBoolean();

    Unsent(RunResult result) {
      this.result = result;
    }
  }

  public Worker(WorkerSettings settings, Clock clock) {
    this.settings = settings.validated();
    this.runner = new AgentRunner(settings.logRoot(), clock);
    for (String profile : this.settings.profiles()) {
      breakers.put(profile, newBreaker(profile));
    }
    this.link =
        new BrokerLink(
                this.settings.broker().connectionFactory(false),
                "worker " + this.settings.id(),
                this.settings.broker())
            .listen(this::openSessions, this::sessionsLost);
  }

  /** The broker is gone: the heartbeat and output sessions with it. */
  private void sessionsLost() {
    synchronized (this) {
      heartbeatSession = null;
    }
    synchronized (outputLock) {
      outputProducer = null;
    }
  }

  private CircuitBreaker newBreaker(String profile) {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "agent-" + settings.id() + "-" + profile,
            AgentCircuit.config(settings.breakerOpenFor(), timeoutOf(settings.profile(profile))));
    breaker
        .getEventPublisher()
        .onStateTransition(
            e ->
                log.warn(
                    "worker={} profile={} agent circuit {}: {}",
                    settings.id(),
                    profile,
                    e.getStateTransition(),
                    e.getStateTransition().getToState() == CircuitBreaker.State.OPEN
                        ? "the agent backend is failing; taking no beads for "
                            + settings.breakerOpenFor()
                        : "probing the agent backend again"));
    return breaker;
  }

  /** A profile's run timeout: its own, else the worker's. */
  private Duration timeoutOf(AgentProfile profile) {
    return profile.timeout() == null ? settings.timeout() : profile.timeout();
  }

  /** The circuit of the first profile served (the only one, for most workers). */
  public CircuitBreaker breaker() {
    return breakers.values().iterator().next();
  }

  /** The circuit of a profile this worker serves. */
  public CircuitBreaker breaker(String profile) {
    return breakers.get(profile);
  }

  /**
   * What to do when the broker refuses this process a permission it needs (a login of the wrong
   * role): the command that runs it stops with the reason, instead of staying alive and useless.
   */
  public void onRefused(java.util.function.Consumer<String> handler) {
    link.onRefused(handler);
  }

  /** Whether the worker's broker connection is up now (false while it reconnects). */
  public boolean connected() {
    return link.isUp();
  }

  /** Beads whose agent runs now. */
  public int runningCount() {
    return running.size();
  }

  /**
   * Connects (waiting for the broker with exponential backoff and jitter, saying so) and starts the
   * slots.
   */
  public void start() throws Exception {
    log.info(
        "worker starting: id={} slots={} profiles={} {}",
        settings.id(),
        settings.slots(),
        String.join(",", settings.profiles()),
        settings.broker());
    link.connect();
    heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "worker-heartbeat"));
    long every = settings.heartbeat().toMillis();
    // why no initial delay: the first beat announces the worker, idle or not
    heartbeats.scheduleWithFixedDelay(this::beat, 0, every, TimeUnit.MILLISECONDS);
    for (int i = 1; i <= settings.slots(); i++) {
      slots.add(daemon(this::slotLoop, "worker-slot-" + i));
    }
    slots.forEach(Thread::start);
    log.info("worker started: id={}", settings.id());
  }

  /** The heartbeat and output sessions, on each new connection. */
  private void openSessions(Connection connection) throws JMSException {
    Session beats = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageProducer heartbeat = beats.createProducer(beats.createTopic(Addresses.HEARTBEATS));
    heartbeat.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
    MessageProducer presence = beats.createProducer(beats.createTopic(Addresses.PRESENCE));
    presence.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
    Session output = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageProducer lines = output.createProducer(output.createTopic(Addresses.OUTPUT));
    lines.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
    synchronized (this) {
      heartbeatSession = beats;
      heartbeatProducer = heartbeat;
      presenceProducer = presence;
    }
    synchronized (outputLock) {
      outputSession = output;
      outputProducer = lines;
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  // ---- a slot ----------------------------------------------------------------------------------

  /**
   * A slot, for the worker's life: serves on the current connection; when its session fails (the
   * broker restarted, the connection was lost) it reports the failure, waits a little and serves
   * again on the connection the link makes next. Nothing ends it but {@link #close()}.
   */
  private void slotLoop() {
    link.serve("slot " + Thread.currentThread().getName(), () -> stopping, this::serve);
  }

  /**
   * A slot takes beads from the queue of every profile the worker serves, in turn: each consumer
   * has no prefetch, so a bead waits in the broker, visible to every free slot of every worker,
   * until one takes it; nothing is received only to be skipped.
   */
  private void serve(Connection connection) throws JMSException {
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
      TemporaryQueue replies = session.createTemporaryQueue();
      BoundedConsumer replyConsumer = BoundedConsumer.of(session, replies, max);
      int next = 0;
      int open = 0;
      settleAbandoned(session, producer, replies, replyConsumer);
      while (!stopping) {
        sendUnsent(session, producer);
        BoundedConsumer consumer = consumers.get(next);
        CircuitBreaker breaker = breakers.get(settings.profiles().get(next));
        next = (next + 1) % consumers.size();
        if (!breaker.tryAcquirePermission()) {
          // why: only this profile's backend is failing; the others go on. All open: wait.
          if (++open >= consumers.size()) {
            open = 0;
            sleep(POLL_MILLIS);
          }
          continue;
        }
        open = 0;
        Message message;
        try {
          message = consumer.receive(wait);
        } catch (JMSException | RuntimeException e) {
          breaker.releasePermission();
          throw e;
        }
        if (message == null || stopping) {
          breaker.releasePermission();
          if (message != null) {
            session.recover();
          }
          continue;
        }
        handle(session, message, producer, replies, replyConsumer, breaker);
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

  private void handle(
      Session session,
      Message message,
      MessageProducer producer,
      TemporaryQueue replies,
      BoundedConsumer replyConsumer,
      CircuitBreaker breaker)
      throws JMSException {
    DispatchMessage dispatch;
    try {
      dispatch =
          Wire.decode(
              MessageBodies.text(message, settings.broker().maxMessageBytes()),
              DispatchMessage.class);
    } catch (Wire.WireException e) {
      breaker.releasePermission();
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
      reply = claim(session, producer, replies, replyConsumer, dispatch, secret);
    } catch (JMSException | RuntimeException e) {
      breaker.releasePermission();
      // why: the coordinator may have granted it as the session failed; asked again after
      abandoned.add(new Abandoned(dispatch, secret));
      throw e;
    }
    if (reply == null) {
      // why: stopping before the coordinator answered; hand the message back for another worker
      session.recover();
      breaker.releasePermission();
      return;
    }
    try {
      message.acknowledge();
    } catch (JMSException | RuntimeException e) {
      breaker.releasePermission();
      if (reply.granted()) {
        // why: the dispatch goes back to the queue with the session; this worker must not run it
        // too. The release waits in unsent for the new session: no attempt is spent.
        queue(
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
      breaker.releasePermission();
      return;
    }
    Running current = new Running(dispatch, reply.leaseId(), secret);
    running.put(dispatch.run(), current);
    try {
      // why at once: the coordinator learns the run started, so a lease that lapses after this is
      // an attempt, and one that lapses before it is a claim no agent took (released, no cost)
      heartbeat(session, producer, current);
    } catch (JMSException | RuntimeException e) {
      // why go on: the claim is ours; the heartbeat thread tells the coordinator once it can
      log.debug(
          "bead={} run={}: first heartbeat not sent: {}", dispatch.beadId(), dispatch.run(), e);
    }
    run(current, breaker);
    sendUnsent(session, producer);
  }

  /**
   * Claims whose answer was lost with a failed session: each is asked again with its own proof,
   * which gets the same answer, and a grant is released at once (its dispatch went back to the
   * queue with the session, so this worker must not run it). Without this the run would wait a
   * whole lease to be released.
   */
  private void settleAbandoned(
      Session session,
      MessageProducer producer,
      TemporaryQueue replies,
      BoundedConsumer replyConsumer)
      throws JMSException {
    for (Abandoned a; (a = abandoned.peek()) != null && !stopping; ) {
      ClaimReply reply = claim(session, producer, replies, replyConsumer, a.dispatch(), a.secret());
      if (reply != null && reply.granted()) {
        queue(
            RunResult.released(
                    a.dispatch().beadId(),
                    a.dispatch().run(),
                    reply.leaseId(),
                    settings.id(),
                    "the claim's answer was lost with the broker connection; released")
                .signed(a.secret()));
      }
      abandoned.remove(a);
    }
  }

  /** A claim asked on a session that failed before the answer came. */
  private record Abandoned(DispatchMessage dispatch, LeaseSecret secret) {}

  private final java.util.Queue<Abandoned> abandoned =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /**
   * Asks the coordinator for the run and waits for its answer, asking again every tenth of the
   * claim timeout with the same request (claims are idempotent: the same proof gets the same
   * answer), so a coordinator that starts while the claim waits answers it within moments. The
   * dispatch is held meanwhile, however long the coordinator is away: handing it back would count a
   * delivery against it. Null only when the worker stops first.
   */
  private ClaimReply claim(
      Session session,
      MessageProducer producer,
      TemporaryQueue replies,
      BoundedConsumer replyConsumer,
      DispatchMessage dispatch,
      LeaseSecret secret)
      throws JMSException {
    TextMessage request =
        session.createTextMessage(
            Wire.encode(ClaimRequest.of(dispatch.beadId(), dispatch.run(), settings.id(), secret)));
    String correlation = UUID.randomUUID().toString();
    request.setJMSCorrelationID(correlation);
    request.setJMSReplyTo(replies);
    request.setStringProperty(Properties.TYPE, "claim");
    request.setStringProperty(Properties.BEAD_ID, dispatch.beadId());
    request.setLongProperty(Properties.RUN, dispatch.run());
    request.setStringProperty(Properties.WORKER, settings.id());
    Topic claims = session.createTopic(Addresses.CLAIMS);
    long askEvery = Math.max(50, settings.claimTimeout().toMillis() / 10);
    long started = System.currentTimeMillis();
    long warnAt = started + settings.claimTimeout().toMillis();
    while (!stopping) {
      // why non-persistent: a claim need not survive a broker restart; it is asked again
      producer.send(claims, request, DeliveryMode.NON_PERSISTENT, Message.DEFAULT_PRIORITY, 0);
      long until = System.currentTimeMillis() + askEvery;
      for (long left = askEvery; left > 0; left = until - System.currentTimeMillis()) {
        Message answer = replyConsumer.receive(left);
        if (answer == null) {
          break;
        }
        answer.acknowledge();
        if (correlation.equals(answer.getJMSCorrelationID())) {
          try {
            return Wire.decode(
                MessageBodies.text(answer, settings.broker().maxMessageBytes()), ClaimReply.class);
          } catch (Wire.WireException e) {
            log.warn("unreadable claim reply dropped: {}", e.getMessage());
          }
        }
        // else: a second answer to a claim asked twice, already acted on
      }
      long now = System.currentTimeMillis();
      if (now >= warnAt) {
        log.warn(
            "bead={} run={} worker={} no claim reply for {}: is the coordinator running? still"
                + " holding the bead and asking",
            dispatch.beadId(),
            dispatch.run(),
            settings.id(),
            Durations.format(Duration.ofMillis(now - started)));
        warnAt = now + settings.claimTimeout().toMillis();
      }
    }
    return null;
  }

  private void run(Running current, CircuitBreaker breaker) {
    DispatchMessage dispatch = current.dispatch;
    String leaseId = current.leaseId;
    AgentProfile profile = settings.profile(dispatch.profile());
    Duration timeout = timeoutOf(profile);
    log.info(
        "bead={} run={} attempt={} turn={} profile={} worker={} agent starting",
        dispatch.beadId(),
        dispatch.run(),
        dispatch.attempt(),
        dispatch.turn(),
        profile.name(),
        settings.id());
    RunResult result = null;
    try {
      result = execute(dispatch, leaseId, current, profile, timeout, breaker);
    } catch (Exception e) {
      AgentCircuit.broken(breaker, e.toString());
      result =
          RunResult.released(
              dispatch.beadId(), dispatch.run(), leaseId, settings.id(), "worker error: " + e);
    } finally {
      if (result == null) {
        // why: an Error on its way out; the run must still leave this worker, released
        result =
            RunResult.released(
                dispatch.beadId(), dispatch.run(), leaseId, settings.id(), "worker error");
      }
      log.info(
          "bead={} run={} attempt={} worker={} outcome={}",
          dispatch.beadId(),
          dispatch.run(),
          dispatch.attempt(),
          settings.id(),
          result.outcome());
      // why queued before it leaves running: the heartbeats never miss it
      queue(result.signed(current.secret));
      running.remove(dispatch.run());
    }
  }

  private RunResult execute(
      DispatchMessage dispatch,
      String leaseId,
      Running current,
      AgentProfile profile,
      Duration timeout,
      CircuitBreaker breaker)
      throws Exception {
    String id = dispatch.beadId();
    Path runDir = runner.newRunDir(id, dispatch.run());
    java.util.function.Consumer<List<String>> onLines = lines -> publishOutput(dispatch, lines);
    Path output = runDir.resolve("output.log");
    // the worker's own lines: in the run's log, around the agent's output, and to watchers
    java.util.function.Consumer<String> note = line -> note(output, dispatch, line);
    AgentJob.Prepared job;
    try {
      job = AgentJob.prepare(dispatch, profile, settings, runDir, timeout, onLines);
    } catch (Workspace.WorkspaceException | Worktrees.GitException | AgentJob.Refused e) {
      // why: the bead asks for something this worker must not or cannot do; no agent runs
      note.accept(e.getMessage());
      breaker.releasePermission();
      return RunResult.failed(
              id,
              dispatch.run(),
              leaseId,
              settings.id(),
              null,
              e.getMessage(),
              e.getMessage(),
              output.toString())
          .asPermanent();
    }
    if (job.worktree() != null) {
      note.accept(
          "worktree "
              + job.worktree().path()
              + " on branch "
              + job.worktree().branch()
              + " (phase spawned)");
    }
    AgentRun agent = runner.run(runDir, job.launch(), process -> current.process = process);
    String log = agent.log().toString();
    Set<Integer> infraCodes = new HashSet<>(settings.infraExitCodes());
    infraCodes.addAll(profile.infraExitCodes());
    boolean infra =
        !agent.started() || (agent.exitCode() != null && infraCodes.contains(agent.exitCode()));
    List<BdOperation> ops = new ArrayList<>();
    String opsError = null;
    try {
      // why the filter: metadata operations are the worker's own records; the agent's bd never
      // writes one, so one in its file was forged
      BdSupport.readOperations(job.bd().opsFile()).stream()
          .filter(op -> !BdOperation.METADATA.equals(op.op()))
          .forEach(ops::add);
    } catch (java.io.IOException e) {
      // why: the agent's own file; a broken one fails its run instead of releasing it forever
      opsError = "bd operations unreadable: " + e.getMessage();
    }
    if (job.worktree() != null && !current.released && !infra) {
      ops.add(worktreeOutcome(dispatch, job.worktree(), agent.succeeded(), note));
    }
    if (current.released) {
      breaker.releasePermission();
      return RunResult.released(
          id, dispatch.run(), leaseId, settings.id(), "worker " + settings.id() + " shutting down");
    } else if (infra) {
      String why =
          agent.started() ? "infrastructure exit code " + agent.exitCode() : agent.startError();
      AgentCircuit.broken(breaker, why);
      return RunResult.released(id, dispatch.run(), leaseId, settings.id(), why);
    }
    AgentCircuit.worked(breaker);
    return (agent.succeeded() && opsError == null
            ? RunResult.succeeded(
                id, dispatch.run(), leaseId, settings.id(), null, agent.outputTail(), log)
            : RunResult.failed(
                id,
                dispatch.run(),
                leaseId,
                settings.id(),
                agent.exitCode(),
                agent.timedOut()
                    ? "timed out after " + Durations.format(timeout)
                    : agent.failureLine() != null
                        ? "output matched a failure pattern: " + agent.failureLine()
                        : opsError != null ? opsError : errorLine(agent),
                agent.outputTail(),
                log))
        .with(ops, profile.completion());
  }

  /**
   * After the agent: on success its changes are committed on the bead's branch and the worktree
   * removed; on failure the worktree is kept for a human. Either way the bead's metadata records
   * branch, phase and commit.
   */
  private BdOperation worktreeOutcome(
      DispatchMessage dispatch,
      Worktrees.Worktree worktree,
      boolean succeeded,
      java.util.function.Consumer<String> note) {
    ObjectNode wt = Json.MAPPER.createObjectNode();
    wt.put("branch", worktree.branch());
    wt.put("path", worktree.path().toString());
    wt.put("phase", "working");
    if (succeeded) {
      try {
        String commit =
            Worktrees.commit(worktree, dispatch.beadId(), dispatch.title(), dispatch.run());
        wt.put("commit", commit);
        wt.put("phase", "committed");
        Worktrees.remove(worktree);
        wt.remove("path");
        note.accept("committed " + commit + " on " + worktree.branch() + " (phase committed)");
      } catch (Worktrees.GitException e) {
        wt.put("error", e.getMessage());
        note.accept("worktree kept: " + e.getMessage());
      }
    } else {
      note.accept("worktree kept for a human: " + worktree.path());
    }
    ObjectNode metadata = Json.MAPPER.createObjectNode();
    metadata.set("worktree", wt);
    return BdOperation.metadata(
        dispatch.beadId(), metadata, dev.beadpool.bead.Timestamps.format(java.time.Instant.now()));
  }

  /**
   * A line of the worker's own about a run ({@code [beadpool] ...}): appended to the run's {@code
   * output.log}, so {@code beadpool logs} shows it, and sent to watchers.
   */
  private void note(Path output, DispatchMessage dispatch, String text) {
    String line = "[beadpool] " + text;
    try {
      Files.writeString(
          output,
          line + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (java.io.IOException e) {
      log.warn("bead={} run={}: {} not logged: {}", dispatch.beadId(), dispatch.run(), line, e);
    }
    publishOutput(dispatch, List.of(line));
  }

  /** Sends an agent's output lines to whoever watches; never holds up the agent. */
  private void publishOutput(DispatchMessage dispatch, List<String> lines) {
    synchronized (outputLock) {
      if (outputProducer == null || stopping && running.isEmpty()) {
        return;
      }
      try {
        TextMessage m =
            outputSession.createTextMessage(
                Wire.encode(
                    OutputLines.of(dispatch.beadId(), dispatch.run(), settings.id(), lines)));
        m.setStringProperty(Properties.TYPE, "output");
        m.setStringProperty(Properties.BEAD_ID, dispatch.beadId());
        m.setLongProperty(Properties.RUN, dispatch.run());
        outputProducer.send(m);
      } catch (JMSException | RuntimeException e) {
        log.debug("output of bead={} not published: {}", dispatch.beadId(), e.toString());
      }
    }
  }

  /**
   * The agent's last line that reads like an error, else its exit code: what a human sees first.
   */
  static String errorLine(AgentRun agent) {
    String tail = agent.outputTail() == null ? "" : agent.outputTail();
    List<String> lines = tail.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    for (int i = lines.size() - 1; i >= 0; i--) {
      String lower = lines.get(i).toLowerCase(java.util.Locale.ROOT);
      if (lower.contains("error") || lower.contains("fail") || lower.contains("exception")) {
        return lines.get(i);
      }
    }
    return "exit code " + agent.exitCode();
  }

  /** A result to send: kept (and heartbeated) until the broker confirms it. */
  private void queue(RunResult result) {
    Unsent entry = new Unsent(result);
    entry.resend.set(true);
    unsent.put(result.run(), entry);
  }

  /**
   * Sends the results waiting to go, without waiting for the broker's journal: the slot takes its
   * next bead at once. One the broker refuses is marked and sent again by the next slot that comes
   * here; a send that fails fails the session (the slot heals it, and the result goes then). If the
   * worker dies first, the lease expires and the bead runs again: nothing is lost, only time.
   */
  private void sendUnsent(Session session, MessageProducer producer) throws JMSException {
    for (Unsent entry : unsent.values()) {
      if (!entry.resend.compareAndSet(true, false)) {
        continue; // sent already, or being sent by another slot
      }
      RunResult result = entry.result;
      try {
        jakarta.jms.Queue results = session.createQueue(Addresses.RESULTS);
        TextMessage message = resultMessage(session, result);
        if (stopping) {
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
                    settings.id(),
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

  private TextMessage resultMessage(Session session, RunResult result) throws JMSException {
    TextMessage message = session.createTextMessage(Wire.encode(result));
    message.setStringProperty(Properties.TYPE, "result");
    message.setStringProperty(Properties.BEAD_ID, result.beadId());
    message.setLongProperty(Properties.RUN, result.run());
    message.setStringProperty(Properties.WORKER, settings.id());
    message.setStringProperty(Properties.DUPLICATE_ID, result.duplicateId());
    return message;
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

  private void beat() {
    if (!link.isUp()) {
      return; // why quiet: the link says when the broker is lost and when it is back
    }
    if (!stopping) {
      try {
        announce();
      } catch (Throwable t) {
        // why apart: a presence lost costs a line in status; the leases below must still go
        log.warn("worker={} presence not sent: {}", settings.id(), t.toString());
      }
    }
    try {
      synchronized (this) {
        if (heartbeatSession == null) {
          return;
        }
        for (Running r : running.values()) {
          heartbeatProducer.send(
              heartbeatMessage(heartbeatSession, r.dispatch.beadId(), r.dispatch.run(), r.leaseId));
        }
        for (Unsent u : unsent.values()) {
          heartbeatProducer.send(
              heartbeatMessage(
                  heartbeatSession, u.result.beadId(), u.result.run(), u.result.leaseId()));
        }
      }
    } catch (Throwable t) {
      log.warn("worker={} heartbeat not sent: {}", settings.id(), t.toString());
    }
  }

  /** A heartbeat on a slot's own session: the first one of a run, sent as its agent starts. */
  private void heartbeat(Session session, MessageProducer producer, Running r) throws JMSException {
    producer.send(
        session.createTopic(Addresses.HEARTBEATS),
        heartbeatMessage(session, r.dispatch.beadId(), r.dispatch.run(), r.leaseId),
        DeliveryMode.NON_PERSISTENT,
        Message.DEFAULT_PRIORITY,
        0);
  }

  private TextMessage heartbeatMessage(Session session, String beadId, long run, String leaseId)
      throws JMSException {
    TextMessage m =
        session.createTextMessage(Wire.encode(Heartbeat.of(beadId, run, leaseId, settings.id())));
    m.setStringProperty(Properties.TYPE, "heartbeat");
    m.setStringProperty(Properties.BEAD_ID, beadId);
    return m;
  }

  /**
   * Tells the coordinator this worker is there: the profiles it serves, its slots, how many are
   * busy, which circuits are open; once stopped, that it is gone.
   */
  private synchronized void announce() throws JMSException {
    if (heartbeatSession == null) {
      return;
    }
    List<String> open = new ArrayList<>();
    breakers.forEach(
        (profile, breaker) -> {
          if (breaker.getState() == CircuitBreaker.State.OPEN) {
            open.add(profile);
          }
        });
    TextMessage m =
        heartbeatSession.createTextMessage(
            Wire.encode(
                WorkerPresence.of(
                    settings.id(),
                    settings.profiles(),
                    settings.slots(),
                    running.size(),
                    open,
                    stopping)));
    m.setStringProperty(Properties.TYPE, WorkerPresence.TYPE);
    presenceProducer.send(m);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops taking beads, lets agents finish within the grace period, releases the rest. */
  @Override
  public void close() {
    if (stopping) {
      return;
    }
    stopping = true;
    log.info(
        "worker={} stopping: {} agents running, grace {}",
        settings.id(),
        running.size(),
        settings.shutdownGrace());
    long deadline = System.currentTimeMillis() + settings.shutdownGrace().toMillis();
    for (Thread slot : slots) {
      join(slot, deadline - System.currentTimeMillis());
    }
    for (Running r : running.values()) {
      r.released = true;
      Process p = r.process;
      if (p != null) {
        AgentRunner.killTree(p);
      }
    }
    for (Thread slot : slots) {
      join(slot, 10_000);
    }
    if (heartbeats != null) {
      heartbeats.shutdownNow();
    }
    synchronized (this) {
      try {
        // why: the coordinator drops this worker from the pool at once, not after a lease
        announce();
      } catch (JMSException | RuntimeException e) {
        log.debug("worker={} could not say it is leaving: {}", settings.id(), e.toString());
      }
      link.close();
      heartbeatSession = null;
    }
    log.info("worker={} stopped", settings.id());
  }

  private static void join(Thread t, long millis) {
    try {
      t.join(Math.max(1, millis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
