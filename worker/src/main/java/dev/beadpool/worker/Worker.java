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
import dev.beadpool.messaging.BrokerConnections;
import dev.beadpool.protocol.Addresses;
import dev.beadpool.protocol.BdOperation;
import dev.beadpool.protocol.ClaimReply;
import dev.beadpool.protocol.ClaimRequest;
import dev.beadpool.protocol.DispatchMessage;
import dev.beadpool.protocol.Heartbeat;
import dev.beadpool.protocol.OutputLines;
import dev.beadpool.protocol.Properties;
import dev.beadpool.protocol.RunResult;
import dev.beadpool.protocol.Wire;
import dev.beadpool.protocol.WorkerPresence;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
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
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final long POLL_MILLIS = 250;

  private final WorkerSettings settings;
  private final AgentRunner runner;

  /** One circuit per profile served: a broken agent backend stops only its own profile. */
  private final Map<String, CircuitBreaker> breakers = new java.util.LinkedHashMap<>();

  private final Retry sendRetry;
  private final Map<Long, Running> running = new ConcurrentHashMap<>();
  private final List<Thread> slots = new ArrayList<>();
  private volatile boolean stopping;
  private Connection connection;
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
    volatile Process process;
    volatile boolean released;

    Running(DispatchMessage dispatch, String leaseId) {
      this.dispatch = dispatch;
      this.leaseId = leaseId;
    }
  }

  public Worker(WorkerSettings settings, Clock clock) {
    this.settings = settings.validated();
    this.runner = new AgentRunner(settings.logRoot(), clock);
    for (String profile : this.settings.profiles()) {
      breakers.put(profile, newBreaker(profile));
    }
    this.sendRetry =
        Retry.of(
            "send-" + settings.id(),
            RetryConfig.custom()
                .maxAttempts(6)
                .intervalFunction(
                    IntervalFunction.ofExponentialRandomBackoff(
                        Duration.ofMillis(200), 2.0, 0.5, Duration.ofSeconds(10)))
                .retryExceptions(JMSException.class)
                .build());
  }

  private CircuitBreaker newBreaker(String profile) {
    CircuitBreaker breaker =
        CircuitBreaker.of(
            "agent-" + settings.id() + "-" + profile,
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(4)
                .minimumNumberOfCalls(2)
                .failureRateThreshold(50)
                .permittedNumberOfCallsInHalfOpenState(1)
                .waitDurationInOpenState(settings.breakerOpenFor())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordExceptions(InfraFailure.class)
                .build());
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

  /** The circuit of the first profile served (the only one, for most workers). */
  public CircuitBreaker breaker() {
    return breakers.values().iterator().next();
  }

  /** The circuit of a profile this worker serves. */
  public CircuitBreaker breaker(String profile) {
    return breakers.get(profile);
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
    connection =
        BrokerConnections.connect(
            settings.broker().connectionFactory(false),
            "worker " + settings.id(),
            settings.broker());
    heartbeatSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    heartbeatProducer =
        heartbeatSession.createProducer(heartbeatSession.createQueue(Addresses.HEARTBEATS));
    heartbeatProducer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
    presenceProducer =
        heartbeatSession.createProducer(heartbeatSession.createTopic(Addresses.PRESENCE));
    presenceProducer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
    outputSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    outputProducer = outputSession.createProducer(outputSession.createTopic(Addresses.OUTPUT));
    outputProducer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
    heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "worker-heartbeat"));
    long every = settings.heartbeat().toMillis();
    // why no initial delay: the first beat announces the worker, idle or not
    heartbeats.scheduleWithFixedDelay(this::beat, 0, every, TimeUnit.MILLISECONDS);
    for (int i = 1; i <= settings.slots(); i++) {
      Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
      Thread slot = new Thread(() -> slotLoop(session), "worker-slot-" + i);
      slots.add(slot);
    }
    connection.start();
    slots.forEach(Thread::start);
    log.info("worker started: id={}", settings.id());
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  // ---- a slot ----------------------------------------------------------------------------------

  /**
   * A slot takes beads from the queue of every profile the worker serves, in turn: each consumer
   * has no prefetch, so a bead waits in the broker, visible to every free slot of every worker,
   * until one takes it; nothing is received only to be skipped.
   */
  private void slotLoop(Session session) {
    try {
      List<MessageConsumer> consumers = new ArrayList<>();
      for (String profile : settings.profiles()) {
        consumers.add(session.createConsumer(session.createQueue(Addresses.dispatch(profile))));
      }
      long wait = Math.max(20, POLL_MILLIS / consumers.size());
      MessageProducer producer = session.createProducer(null);
      TemporaryQueue replies = session.createTemporaryQueue();
      MessageConsumer replyConsumer = session.createConsumer(replies);
      int next = 0;
      int open = 0;
      while (!stopping) {
        resendRefusedResults(session, producer);
        MessageConsumer consumer = consumers.get(next);
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
        Message message = consumer.receive(wait);
        if (message == null || stopping) {
          breaker.releasePermission();
          if (message != null) {
            session.recover();
          }
          continue;
        }
        handle(session, message, producer, replies, replyConsumer, breaker);
      }
      for (MessageConsumer consumer : consumers) {
        consumer.close();
      }
    } catch (Throwable t) {
      if (!stopping) {
        log.error(
            "worker={} slot {} stopped: {}",
            settings.id(),
            Thread.currentThread().getName(),
            t.toString(),
            t);
      }
    }
  }

  private void handle(
      Session session,
      Message message,
      MessageProducer producer,
      TemporaryQueue replies,
      MessageConsumer replyConsumer,
      CircuitBreaker breaker)
      throws JMSException {
    DispatchMessage dispatch;
    try {
      dispatch = Wire.decode(((TextMessage) message).getText(), DispatchMessage.class);
    } catch (Wire.WireException | ClassCastException e) {
      deadLetter(
          session, producer, message, String.valueOf(message.getJMSDestination()), e.getMessage());
      breaker.releasePermission();
      return;
    }
    ClaimReply reply = claim(session, producer, replies, replyConsumer, dispatch);
    if (reply == null) {
      // why: no answer from the coordinator; hand the message back for another try
      session.recover();
      breaker.releasePermission();
      return;
    }
    message.acknowledge();
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
    run(session, producer, dispatch, reply.leaseId(), breaker);
  }

  private ClaimReply claim(
      Session session,
      MessageProducer producer,
      TemporaryQueue replies,
      MessageConsumer replyConsumer,
      DispatchMessage dispatch)
      throws JMSException {
    TextMessage request =
        session.createTextMessage(
            Wire.encode(ClaimRequest.of(dispatch.beadId(), dispatch.run(), settings.id())));
    String correlation = UUID.randomUUID().toString();
    request.setJMSCorrelationID(correlation);
    request.setJMSReplyTo(replies);
    request.setStringProperty(Properties.TYPE, "claim");
    request.setStringProperty(Properties.BEAD_ID, dispatch.beadId());
    request.setLongProperty(Properties.RUN, dispatch.run());
    request.setStringProperty(Properties.WORKER, settings.id());
    // why: a claim need not survive a broker restart: unanswered, it times out and the dispatch is
    // handed back and claimed again; the coordinator answers a repeated claim the same way
    producer.send(
        session.createQueue(Addresses.CLAIMS),
        request,
        DeliveryMode.NON_PERSISTENT,
        Message.DEFAULT_PRIORITY,
        0);
    long deadline = System.currentTimeMillis() + settings.claimTimeout().toMillis();
    while (System.currentTimeMillis() < deadline) {
      Message answer = replyConsumer.receive(Math.max(1, deadline - System.currentTimeMillis()));
      if (answer == null) {
        break;
      }
      answer.acknowledge();
      if (correlation.equals(answer.getJMSCorrelationID())) {
        try {
          return Wire.decode(((TextMessage) answer).getText(), ClaimReply.class);
        } catch (Wire.WireException e) {
          log.warn("unreadable claim reply dropped: {}", e.getMessage());
        }
      }
    }
    log.warn(
        "bead={} run={} worker={} no claim reply within {}",
        dispatch.beadId(),
        dispatch.run(),
        settings.id(),
        settings.claimTimeout());
    return null;
  }

  private void run(
      Session session,
      MessageProducer producer,
      DispatchMessage dispatch,
      String leaseId,
      CircuitBreaker breaker) {
    Running current = new Running(dispatch, leaseId);
    running.put(dispatch.run(), current);
    long start = System.nanoTime();
    AgentProfile profile = settings.profile(dispatch.profile());
    Duration timeout = profile.timeout() == null ? settings.timeout() : profile.timeout();
    log.info(
        "bead={} run={} attempt={} turn={} profile={} worker={} agent starting",
        dispatch.beadId(),
        dispatch.run(),
        dispatch.attempt(),
        dispatch.turn(),
        profile.name(),
        settings.id());
    RunResult result;
    try {
      result = execute(dispatch, leaseId, current, profile, timeout, start, breaker);
    } catch (Exception e) {
      breaker.onError(
          System.nanoTime() - start, TimeUnit.NANOSECONDS, new InfraFailure(e.toString()));
      result =
          RunResult.released(
              dispatch.beadId(), dispatch.run(), leaseId, settings.id(), "worker error: " + e);
    } finally {
      running.remove(dispatch.run());
    }
    finish(session, producer, dispatch, result);
  }

  private RunResult execute(
      DispatchMessage dispatch,
      String leaseId,
      Running current,
      AgentProfile profile,
      Duration timeout,
      long start,
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
    long elapsed = System.nanoTime() - start;
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
      breaker.onError(elapsed, TimeUnit.NANOSECONDS, new InfraFailure(why));
      return RunResult.released(id, dispatch.run(), leaseId, settings.id(), why);
    }
    breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
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

  private void finish(
      Session session, MessageProducer producer, DispatchMessage dispatch, RunResult result) {
    log.info(
        "bead={} run={} attempt={} worker={} outcome={}",
        dispatch.beadId(),
        dispatch.run(),
        dispatch.attempt(),
        settings.id(),
        result.outcome());
    send(session, producer, result);
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

  /** Results the broker refused to take asynchronously, sent again by their slot. */
  private final java.util.Queue<RunResult> refused =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /**
   * Sends a result without waiting for the broker's journal: the slot takes its next bead at once.
   * A send the broker refuses comes back through {@link #refused} and is sent again, synchronously
   * with retries, by the slot before its next bead; if the worker dies first, the lease expires and
   * the bead runs again: nothing is lost, only time.
   */
  private void send(Session session, MessageProducer producer, RunResult result) {
    try {
      producer.send(
          session.createQueue(Addresses.RESULTS),
          resultMessage(session, result),
          DeliveryMode.PERSISTENT,
          Message.DEFAULT_PRIORITY,
          0,
          new CompletionListener() {
            @Override
            public void onCompletion(Message message) {}

            @Override
            public void onException(Message message, Exception e) {
              log.warn(
                  "bead={} run={} worker={} result refused by the broker ({}); sending it again",
                  result.beadId(),
                  result.run(),
                  settings.id(),
                  e.toString());
              refused.add(result);
            }
          });
    } catch (JMSException e) {
      sendWithRetry(session, producer, result);
    }
  }

  private void resendRefusedResults(Session session, MessageProducer producer) {
    for (RunResult result; (result = refused.poll()) != null; ) {
      sendWithRetry(session, producer, result);
    }
  }

  private void sendWithRetry(Session session, MessageProducer producer, RunResult result) {
    try {
      sendRetry.executeCallable(
          () -> {
            producer.send(
                session.createQueue(Addresses.RESULTS),
                resultMessage(session, result),
                DeliveryMode.PERSISTENT,
                Message.DEFAULT_PRIORITY,
                0);
            return null;
          });
    } catch (Exception e) {
      // why: the lease will expire and the coordinator re-dispatches; nothing is lost, only time
      log.error(
          "bead={} run={} worker={} result not sent ({}); the lease will expire and the bead run again",
          result.beadId(),
          result.run(),
          settings.id(),
          e.toString());
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
    Message copy =
        message instanceof TextMessage text
            ? session.createTextMessage(text.getText())
            : session.createMessage();
    copy.setStringProperty(Properties.DEAD_LETTER_REASON, queue + ": " + reason);
    producer.send(session.createQueue(Addresses.DEAD_LETTER), copy);
    message.acknowledge();
    log.error(
        "poison message {} on {} moved to {}: {}",
        message.getJMSMessageID(),
        queue,
        Addresses.DEAD_LETTER,
        reason);
  }

  private void beat() {
    if (!stopping) {
      try {
        announce();
      } catch (Throwable t) {
        // why apart: a presence lost costs a line in status; the leases below must still go
        log.warn("worker={} presence not sent: {}", settings.id(), t.toString());
      }
    }
    try {
      for (Running r : running.values()) {
        synchronized (this) {
          if (heartbeatSession == null) {
            return;
          }
          TextMessage m =
              heartbeatSession.createTextMessage(
                  Wire.encode(
                      Heartbeat.of(
                          r.dispatch.beadId(), r.dispatch.run(), r.leaseId, settings.id())));
          m.setStringProperty(Properties.TYPE, "heartbeat");
          m.setStringProperty(Properties.BEAD_ID, r.dispatch.beadId());
          heartbeatProducer.send(m);
        }
      }
    } catch (Throwable t) {
      log.warn("worker={} heartbeat not sent: {}", settings.id(), t.toString());
    }
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
      try {
        if (connection != null) {
          connection.close();
        }
      } catch (JMSException e) {
        log.warn("closing the broker connection", e);
      }
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
