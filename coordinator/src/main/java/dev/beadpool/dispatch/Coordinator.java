package dev.beadpool.dispatch;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Dependency;
import dev.beadpool.dispatch.budget.BudgetFile;
import dev.beadpool.dispatch.endpoint.Endpoints;
import dev.beadpool.dispatch.integration.IntegrationSettings;
import dev.beadpool.dispatch.integration.Integrator;
import dev.beadpool.dispatch.integration.MergeQueue;
import dev.beadpool.dispatch.lease.LeaseCheck;
import dev.beadpool.dispatch.result.ResultConsumer;
import dev.beadpool.graph.Edge;
import dev.beadpool.messaging.BrokerLink;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.BeadUpdate;
import dev.beadpool.store.ImportResult;
import dev.beadpool.store.NewBead;
import dev.beadpool.store.Pause;
import dev.beadpool.store.RunLedger;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the bead graph and decides who runs what. Publishes every dispatchable bead as soon as it
 * becomes ready (event driven: a close dispatches what it unblocks), grants claims with leases,
 * expires leases, applies results, retries with backoff and files failure beads. Each of those is a
 * duty of its own ({@link Duties}); this class wires them to the broker, starts and stops them, and
 * takes the changes people make.
 *
 * <p>Ordering, for crash safety: every state change is committed in the store ({@link RunLedger})
 * before it is published, replied or acknowledged. Claims and results are consumed in transacted
 * sessions committed after the store; a redelivered message finds its change already made and
 * changes nothing. Dispatch messages carry a duplicate-detection id, so republishing after a
 * restart sends each run once.
 *
 * <p>Threads: each consumer delivers on its session's thread ({@link Endpoints}), results on {@code
 * coordinator-results} and the lease timer on {@code coordinator-leases}; all of them change state
 * under one lock ({@link Duties#lock()}), since the engine has one owner.
 */
public final class Coordinator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Coordinator.class);

  private final BeadStore store;
  private final CoordinatorSettings settings;
  private final Clock clock;
  private final Duties duties;
  private final Object lock;
  private final LiveView live;
  private final BrokerLink link;
  private final ResultConsumer results;
  private final LeaseCheck leaseCheck;

  private final MergeQueue mergeQueue;

  private ScheduledExecutorService timer;
  private Thread resultThread;

  public Coordinator(BeadStore store, CoordinatorSettings settings, Clock clock) {
    this(store, settings, clock, IntegrationSettings.DEFAULTS);
  }

  /**
   * @param integration how the merge queue's integrator runs, with a {@code repository} in the
   *     agents' config
   */
  public Coordinator(
      BeadStore store, CoordinatorSettings settings, Clock clock, IntegrationSettings integration) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.duties = Duties.wire(store, settings, clock);
    this.lock = duties.lock();
    this.live = new LiveView(duties);
    this.link =
        new BrokerLink(settings.broker().connectionFactory(true), "coordinator", settings.broker())
            .listen(
                new Endpoints(
                    lock,
                    settings,
                    clock,
                    duties.messages(),
                    new Endpoints.Handlers(
                        duties.claims(),
                        duties.heartbeats(),
                        duties.presences(),
                        duties.output(),
                        duties.deadLetters()),
                    duties.publisher(),
                    duties.leases()));
    this.results =
        new ResultConsumer(
            link, duties.lifecycle(), duties.messages(), duties.poison(), duties.results());
    this.leaseCheck =
        new LeaseCheck(
            lock,
            clock,
            duties.lifecycle(),
            link::isUp,
            duties.expiry(),
            duties.publisher(),
            duties.queue(),
            duties.stalls(),
            duties.flush(),
            duties.budgetFile(),
            duties.pauses());
    this.mergeQueue =
        new MergeQueue(
            settings.agents().repository(),
            settings.agents().repository() == null
                ? null
                : new Integrator(
                    settings.agents().repository(),
                    integration,
                    Integrator.stateDirOf(store.file()),
                    store,
                    duties.merges(),
                    clock),
            duties.merges(),
            duties.events(),
            clock);
  }

  /** Loads the graph, restores in-flight runs from the store, connects and starts dispatching. */
  public void start() throws JMSException {
    synchronized (lock) {
      if (!duties.lifecycle().start()) {
        return;
      }
      log.info(
          "coordinator starting: store={} {} max-in-flight={} max-attempts={} lease={} budgets={}",
          store.file(),
          settings.broker(),
          settings.maxInFlight(),
          settings.maxAttempts(),
          settings.lease(),
          BudgetFile.describe(settings.budgets()));
      duties.recovery().restore();
      try {
        link.connect();
      } catch (JMSException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(
            "cannot connect to the broker " + settings.broker().url(), e);
      }
      duties.publisher().republish();
      duties.flush().flush();

      resultThread = new Thread(results, "coordinator-results");
      resultThread.setDaemon(true);
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "coordinator-leases");
                t.setDaemon(true);
                return t;
              });
      long every = settings.leaseCheck().toMillis();
      duties.expiry().timerStarts(clock.instant());
      timer.scheduleWithFixedDelay(leaseCheck, every, every, TimeUnit.MILLISECONDS);
      resultThread.start();
      mergeQueue.start();
      log.info(
          "coordinator started: {} ready, {} dispatched",
          duties.queue().queued() + duties.inFlight().size(),
          duties.inFlight().size());
    }
  }

  /**
   * What to do when the broker refuses this process a permission it needs (a login of the wrong
   * role): the command that runs it stops with the reason, instead of staying alive and useless.
   */
  public void onRefused(Consumer<String> handler) {
    link.onRefused(handler);
  }

  // ---- the human side: changes made through the coordinator ------------------------------------

  /** Closes a bead by hand (a gate, a failure bead) and dispatches what that releases. */
  public Bead close(String id, String reason, String actor) {
    return close(id, reason, true, actor);
  }

  /** {@code beadpool close} through the coordinator: bd's rules, then dispatch. */
  public Bead close(String id, String reason, boolean force, String actor) {
    synchronized (lock) {
      Bead bead = store.close(id, reason, force, actor);
      duties.changes().afterChange(bead);
      duties.flush().flush();
      return bead;
    }
  }

  /** Creates a bead and dispatches it if it is ready. */
  public Bead create(NewBead spec, String actor) {
    synchronized (lock) {
      Bead bead = store.create(spec, actor);
      duties.graph().put(bead);
      for (Dependency d : bead.dependencies()) {
        duties.graph().addEdge(new Edge(d.issueId(), d.dependsOnId(), d.type(), d.gate()));
      }
      duties.queue().consider(bead.id());
      duties.queue().pump();
      duties.flush().flush();
      return bead;
    }
  }

  /** {@code beadpool update} (and {@code --claim}) through the coordinator. */
  public Bead update(String id, BeadUpdate update, boolean claim, String actor) {
    synchronized (lock) {
      Bead bead = claim ? store.claim(id, actor) : null;
      if (!update.isEmpty()) {
        bead = store.update(id, update, actor);
      }
      duties.changes().afterChange(bead);
      duties.flush().flush();
      return bead;
    }
  }

  /** {@code beadpool dep add} through the coordinator; the cycle check is the store's. */
  public void addDependency(String from, String to, String type, String actor) {
    synchronized (lock) {
      store.addDependency(from, to, type, actor);
      duties.queue().considerAll(duties.graph().addEdge(new Edge(from, to, type, null)));
      duties.queue().pump();
      duties.flush().flush();
    }
  }

  /** {@code beadpool dep remove} through the coordinator: may release the dependent. */
  public void removeDependency(String from, String to, String actor) {
    synchronized (lock) {
      store.removeDependency(from, to, actor);
      duties.queue().considerAll(duties.graph().removeEdge(from, to));
      duties.queue().consider(from);
      duties.queue().pump();
      duties.flush().flush();
    }
  }

  /**
   * {@code beadpool import} through the coordinator: the graph is reloaded and ready beads go out.
   */
  public ImportResult importFile(Path file, String actor) throws IOException {
    synchronized (lock) {
      ImportResult result = store.importFile(file, actor, null);
      duties.graph().load();
      duties.bdContext().reload();
      duties.queue().considerReady(clock.instant());
      duties.queue().pump();
      duties.flush().flush();
      return result;
    }
  }

  /**
   * {@code beadpool pause}: no new run of {@code profile} (null: of any profile) starts until
   * {@code until} (null: until resumed); running runs finish.
   *
   * @throws IllegalArgumentException for an unknown profile, a past end or a bad reason
   */
  public Pause pause(String profile, Instant until, String reason, String actor) {
    synchronized (lock) {
      return duties.handPauses().pause(profile, until, reason, actor);
    }
  }

  /**
   * {@code beadpool resume}: ends the pause of {@code profile} (null: the pool's), if one holds.
   */
  public Optional<Pause> resume(String profile, String actor) {
    synchronized (lock) {
      return duties.handPauses().resume(profile, actor);
    }
  }

  /** The coordinator's clock: what a pause's "2h" counts from. */
  public Clock clock() {
    return clock;
  }

  /** The pauses in force now, the whole pool's first. */
  public List<Pause> pauses() {
    synchronized (lock) {
      return duties.pauses().all();
    }
  }

  /** The merge queue: {@code beadpool merge}, {@code reject}, and its part of {@code status}. */
  public MergeQueue mergeQueue() {
    return mergeQueue;
  }

  // ---- live view: status, events, running runs, snapshots --------------------------------------

  public PoolStatus status() {
    synchronized (lock) {
      return live.status(link.outages(), mergeQueue.status());
    }
  }

  public RunLedger ledger() {
    return duties.ledger();
  }

  /** The pool's events, for watchers; published after the changes they report are committed. */
  public PoolEvents events() {
    return duties.events();
  }

  /**
   * Output lines of a run's agent, as they arrive from its worker: remembered (the last non-blank
   * one, for {@link #running}) and published. Any thread; does not take the coordinator's lock.
   */
  public void recordOutput(String beadId, long run, List<String> lines) {
    duties.output().record(beadId, run, lines);
  }

  /** Runs that a worker holds now, oldest first, with their last output line. */
  public List<RunningRun> running() {
    synchronized (lock) {
      return live.running();
    }
  }

  /**
   * The bead as it is now, as the first event of a watcher's stream: its status, its run in flight,
   * and {@code failed} if an open failure bead blocks it.
   *
   * @throws dev.beadpool.store.BeadNotFoundException if there is no such bead
   */
  public PoolEvent snapshot(String beadId) {
    synchronized (lock) {
      return live.snapshot(beadId);
    }
  }

  /** Stops taking messages and closes the broker connection; the store stays open (its owner's). */
  @Override
  public void close() {
    synchronized (lock) {
      if (!duties.lifecycle().stop()) {
        return;
      }
    }
    mergeQueue.close();
    if (timer != null) {
      timer.shutdownNow();
    }
    link.close();
    log.info("coordinator stopped");
  }
}
