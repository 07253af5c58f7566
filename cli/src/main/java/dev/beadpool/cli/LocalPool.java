package dev.beadpool.cli;

import dev.beadpool.bead.Bead;
import dev.beadpool.broker.EmbeddedBroker;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.dispatch.PoolStatus;
import dev.beadpool.dispatch.StalledProfile;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.store.BeadFilter;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.RunLedger;
import dev.beadpool.worker.Worker;
import dev.beadpool.worker.WorkerSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/** Broker, coordinator and worker in this process: what {@code up} and {@code demo} run. */
final class LocalPool {
  final EmbeddedBroker broker;
  final BeadStore store;
  final Coordinator coordinator;
  final Worker worker;

  private LocalPool(
      EmbeddedBroker broker, BeadStore store, Coordinator coordinator, Worker worker) {
    this.broker = broker;
    this.store = store;
    this.coordinator = coordinator;
    this.worker = worker;
  }

  static LocalPool start(
      Services services,
      BeadStore store,
      Path brokerData,
      int port,
      Function<BrokerSettings, CoordinatorSettings> coordinatorSettings,
      Function<BrokerSettings, WorkerSettings> workerSettings)
      throws Exception {
    EmbeddedBroker broker = services.add(EmbeddedBroker.start(brokerData, port));
    BrokerSettings settings = BrokerSettings.anonymous(broker.url());
    Coordinator coordinator =
        services.add(
            new Coordinator(store, coordinatorSettings.apply(settings), Clock.systemUTC()));
    coordinator.start();
    Worker worker = services.add(new Worker(workerSettings.apply(settings), Clock.systemUTC()));
    worker.start();
    return new LocalPool(broker, store, coordinator, worker);
  }

  /** Open failure beads: the ones waiting for a human. */
  List<Bead> openFailureBeads() {
    return store
        .list(new BeadFilter(null, List.of(RunLedger.FAILURE_LABEL), null, null, null))
        .stream()
        .filter(b -> !b.isClosed())
        .toList();
  }

  static String line(PoolStatus s) {
    String running =
        s.running().isEmpty()
            ? ""
            : " ("
                + String.join(", ", s.running().subList(0, Math.min(4, s.running().size())))
                + (s.running().size() > 4 ? ", …" : "")
                + ")";
    StringBuilder stalled = new StringBuilder();
    for (StalledProfile p : s.stalled()) {
      stalled
          .append("  no worker takes ")
          .append(p.profile())
          .append(" (")
          .append(p.beads() + p.held())
          .append(')');
    }
    for (dev.beadpool.dispatch.HumanHold h : s.heldBy()) {
      stalled
          .append("  held by ")
          .append(h.label())
          .append(' ')
          .append(h.bead())
          .append(" (")
          .append(h.beads())
          .append(')');
    }
    for (dev.beadpool.dispatch.pause.PauseView p : s.paused()) {
      stalled
          .append("  paused ")
          .append(p.pool() ? "pool" : p.profile())
          .append(p.until() == null ? "" : " until " + EventText.time(p.until()));
    }
    return String.format(
        "ready %d  running %d%s  closed %d  retried %d  failed %d%s",
        s.waiting() + s.dispatched(),
        s.running().size(),
        running,
        s.closed(),
        s.retried(),
        s.failureBeads(),
        stalled);
  }

  /** Shows progress until the pool has been idle for a moment; a line per change off a terminal. */
  void runUntilIdle(PrintWriter err, Runnable onTick) throws InterruptedException {
    boolean tty = System.console() != null;
    String last = "";
    int idleTicks = 0;
    while (idleTicks < 5) {
      Thread.sleep(200);
      onTick.run();
      PoolStatus status = coordinator.status();
      idleTicks = status.idle() && worker.runningCount() == 0 ? idleTicks + 1 : 0;
      String line = line(status);
      if (!line.equals(last)) {
        err.print(tty ? "\r\033[K" + line : line + "\n");
        err.flush();
        last = line;
      }
    }
    if (tty) {
      err.println();
    }
  }
}
