package dev.beadpool.cli;

import dev.beadpool.dispatch.PoolEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "wait",
    description = {
      "Block until every bead given is closed or has failed for good (a failure bead",
      "blocks it), asking the running coordinator. Prints nothing but a one-line",
      "summary on stderr (and a line if it has to find the coordinator again): for",
      "scripts and CI.",
      "",
      "Examples:",
      "  beadpool wait demo-a.1 demo-a.2 && beadpool export .beads/issues.jsonl",
      "  beadpool wait demo-regression --timeout 30m"
    },
    footer = {
      "",
      "Exit codes: 0 all closed, 1 any failed for good, 2 no coordinator is running, no",
      "such bead, or the coordinator went away and did not come back within",
      "--reconnect, 3 --timeout ran out first."
    })
final class WaitCommand extends BaseCommand {
  @Mixin StoreOptions store;
  @Mixin ReconnectOption reconnect;

  @Parameters(paramLabel = "ID", arity = "1..*", description = "The beads to wait for.")
  List<String> ids;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = Durations.class,
      description = "Give up after this long (500ms, 30s, 5m, 2h), exit 3. Default: wait forever.")
  Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    List<String> beads = new ArrayList<>(new LinkedHashSet<>(ids));
    Map<String, PoolEvent> ended = new LinkedHashMap<>();
    ResumingEvents events =
        new ResumingEvents(() -> store.liveCoordinator("wait"), beads, reconnect.reconnect, err());
    // why: reading blocks until the next event; a thread of its own lets --timeout cut it short
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                while (ended.size() < beads.size()) {
                  PoolEvent e = events.next().event();
                  if (beads.contains(e.beadId()) && e.terminal()) {
                    synchronized (ended) {
                      ended.putIfAbsent(e.beadId(), e);
                    }
                  }
                }
                done.complete(null);
              } catch (RuntimeException e) {
                done.completeExceptionally(e);
              }
            },
            "beadpool-wait");
    reader.setDaemon(true);
    reader.start();
    try {
      if (timeout == null) {
        done.get();
      } else {
        done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (TimeoutException e) {
      List<String> waiting;
      synchronized (ended) {
        waiting = beads.stream().filter(b -> !ended.containsKey(b)).toList();
      }
      err()
          .println(
              "timed out after "
                  + (timeout.toMillis() < 1000
                      ? timeout.toMillis() + "ms"
                      : EventText.elapsed(timeout.toMillis()))
                  + ": still waiting for "
                  + String.join(", ", waiting));
      err().flush();
      return ExitCodes.TIMEOUT;
    } catch (ExecutionException e) {
      throw (RuntimeException) e.getCause();
    } finally {
      events.close();
    }
    return summary(beads, ended);
  }

  private int summary(List<String> beads, Map<String, PoolEvent> ended) {
    List<String> failed = new ArrayList<>();
    for (String bead : beads) {
      PoolEvent e = ended.get(bead);
      if (!e.succeeded()) {
        failed.add(bead + " (failure bead " + e.detail() + ")");
      }
    }
    int closed = beads.size() - failed.size();
    if (failed.isEmpty()) {
      err().println(closed == 1 ? beads.get(0) + " is closed" : "all " + closed + " beads closed");
    } else {
      err()
          .println(
              "failed for good: "
                  + String.join(", ", failed)
                  + (closed > 0 ? "; " + closed + " closed" : ""));
    }
    err().flush();
    return failed.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
