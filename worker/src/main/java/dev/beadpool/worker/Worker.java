package dev.beadpool.worker;

import dev.beadpool.agent.AgentRunner;
import dev.beadpool.messaging.BrokerLink;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes dispatched beads from the broker, claims each from the coordinator, runs the agent,
 * heartbeats while it runs and reports the result. No store: it talks only to the broker.
 *
 * <p>This class is the wiring and the lifecycle; each duty has a class of its own: {@link Slot}
 * (take, claim, run, one per slot thread), {@link Claims} and {@link AbandonedClaims}, {@link
 * AgentAttempt} (one agent run, no JMS), {@link ResultSender} (results until the broker has them),
 * {@link Heartbeats}, {@link Presence}, {@link OutputPublisher} and {@link AgentCircuit} (a
 * profile's breaker and its permits).
 *
 * <p>Threads: one per slot ({@code worker-slot-N}), each with its own JMS session that takes a
 * message only when the slot is free (no prefetch); one heartbeat thread with its own session.
 * {@link #close()} stops taking beads, lets running agents finish within the grace period, then
 * kills the rest and releases them (re-dispatched at once, no attempt spent), and closes the broker
 * connection last.
 *
 * <p>Faults: the broker connection heals itself ({@link BrokerLink}); a slot whose session fails
 * takes a new one from the new connection and goes on. An agent keeps running across a broker
 * outage; its result waits in the {@link ResultSender} (and its lease is kept alive by heartbeats)
 * until the broker takes it.
 */
public final class Worker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  private final WorkerSettings settings;

  /** One circuit per profile served: a broken agent backend stops only its own profile. */
  private final Map<String, AgentCircuit> circuits = new LinkedHashMap<>();

  private final Map<Long, Running> running = new ConcurrentHashMap<>();
  private final List<Thread> slots = new ArrayList<>();
  private volatile boolean stopping;
  private final BrokerLink link;
  private final OutputPublisher output;
  private final Heartbeats heartbeats;
  private final Slot slot;
  private ScheduledExecutorService beating;

  public Worker(WorkerSettings settings, Clock clock) {
    this.settings = settings.validated();
    for (String profile : this.settings.profiles()) {
      circuits.put(
          profile,
          new AgentCircuit(
              this.settings.id(),
              profile,
              this.settings.breakerOpenFor(),
              AgentAttempt.timeoutOf(this.settings.profile(profile), this.settings)));
    }
    this.link =
        new BrokerLink(
                this.settings.broker().connectionFactory(false),
                "worker " + this.settings.id(),
                this.settings.broker())
            .listen(this::openSessions, this::sessionsLost);
    String id = this.settings.id();
    ResultSender results = new ResultSender(id, () -> stopping);
    this.output = new OutputPublisher(id, () -> stopping && running.isEmpty());
    this.heartbeats =
        new Heartbeats(
            id,
            link::isUp,
            () -> stopping,
            running,
            results,
            new Presence(this.settings, circuits, running, () -> stopping));
    this.slot =
        new Slot(
            this.settings,
            circuits,
            running,
            new AgentAttempt(
                this.settings, new AgentRunner(settings.logRoot(), clock), output, clock),
            results,
            new AbandonedClaims(id, () -> stopping),
            heartbeats,
            new LimitHolds(clock, id),
            () -> stopping);
  }

  /** The heartbeat and output sessions, on each new connection. */
  private void openSessions(Connection connection) throws JMSException {
    heartbeats.open(connection);
    output.open(connection);
  }

  /** The broker is gone: the heartbeat and output sessions with it. */
  private void sessionsLost() {
    heartbeats.lost();
    output.lost();
  }

  /** The circuit of the first profile served (the only one, for most workers). */
  public CircuitBreaker breaker() {
    return circuits.values().iterator().next().breaker();
  }

  /** The circuit of a profile this worker serves. */
  public CircuitBreaker breaker(String profile) {
    AgentCircuit circuit = circuits.get(profile);
    return circuit == null ? null : circuit.breaker();
  }

  /**
   * What to do when the broker refuses this process a permission it needs (a login of the wrong
   * role): the command that runs it stops with the reason, instead of staying alive and useless.
   */
  public void onRefused(Consumer<String> handler) {
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
    beating = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "worker-heartbeat"));
    long every = settings.heartbeat().toMillis();
    // why no initial delay: the first beat announces the worker, idle or not
    beating.scheduleWithFixedDelay(heartbeats::beat, 0, every, TimeUnit.MILLISECONDS);
    for (int i = 1; i <= settings.slots(); i++) {
      slots.add(daemon(this::slotLoop, "worker-slot-" + i));
    }
    slots.forEach(Thread::start);
    log.info("worker started: id={}", settings.id());
  }

  /**
   * A slot, for the worker's life: serves on the current connection; when its session fails (the
   * broker restarted, the connection was lost) it reports the failure, waits a little and serves
   * again on the connection the link makes next. Nothing ends it but {@link #close()}.
   */
  private void slotLoop() {
    link.serve("slot " + Thread.currentThread().getName(), () -> stopping, slot::serve);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
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
    if (beating != null) {
      beating.shutdownNow();
    }
    heartbeats.farewell(link::close);
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
