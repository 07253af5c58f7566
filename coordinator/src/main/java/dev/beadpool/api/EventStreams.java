package dev.beadpool.api;

import static dev.beadpool.api.JsonExchange.error;
import static dev.beadpool.api.JsonExchange.respond;

import com.sun.net.httpserver.HttpExchange;
import dev.beadpool.bead.Json;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.PoolEvents;
import dev.beadpool.store.BeadNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/events}: server-sent events, each stream on a thread of its own (at most {@link
 * #MAX_STREAMS}), so watchers never hold up the other endpoints.
 */
final class EventStreams implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventStreams.class);

  /** Event streams open at once, at most; one thread each. */
  static final int MAX_STREAMS = 64;

  /** How long an idle event-stream thread is kept for the next stream. */
  static final Duration STREAM_THREAD_KEEP_ALIVE = Duration.ofSeconds(60);

  /** How often an idle event stream sends a comment, so proxies keep it and dead clients show. */
  static final Duration KEEPALIVE = Duration.ofSeconds(15);

  private final Coordinator coordinator;
  private final ThreadPoolExecutor threads;
  private final Set<PoolEvents.Subscription> open = ConcurrentHashMap.newKeySet();

  EventStreams(Coordinator coordinator, String threadPrefix) {
    this.coordinator = coordinator;
    this.threads =
        new ThreadPoolExecutor(
            0,
            MAX_STREAMS,
            STREAM_THREAD_KEEP_ALIVE.toMillis(),
            TimeUnit.MILLISECONDS,
            new SynchronousQueue<>(),
            ApiThreads.named(threadPrefix));
  }

  /** Hands the exchange to a stream thread of its own; 503 when all are taken. */
  void serve(HttpExchange exchange) throws IOException {
    List<String> beadIds = queryValues(exchange.getRequestURI().getRawQuery(), "bead");
    try {
      threads.execute(() -> stream(exchange, beadIds));
    } catch (RejectedExecutionException e) {
      respond(
          exchange,
          503,
          error("too many event streams (" + MAX_STREAMS + " open); close a watcher and retry"));
    }
  }

  /**
   * One watcher's stream: subscribe first, then the snapshots, so nothing that happens in between
   * is missed (it may be repeated: the snapshot can already show it). Ends when the client goes
   * away (a write fails), the API closes, or the watcher falls too far behind.
   */
  private void stream(HttpExchange exchange, List<String> beadIds) {
    PoolEvents.Subscription subscription = coordinator.events().open(Set.copyOf(beadIds));
    open.add(subscription);
    try {
      List<PoolEvent> snapshots = new ArrayList<>();
      try {
        for (String id : beadIds) {
          snapshots.add(coordinator.snapshot(id));
        }
      } catch (BeadNotFoundException e) {
        respond(exchange, 404, error(e.getMessage()));
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      write(out, ": beadpool events" + (beadIds.isEmpty() ? " (all beads)" : "") + "\n\n");
      for (PoolEvent snapshot : snapshots) {
        write(out, sse(snapshot));
      }
      while (subscription.isOpen()) {
        PoolEvent event = subscription.next(KEEPALIVE);
        if (event != null) {
          write(out, sse(event));
        } else if (subscription.isOpen()) {
          write(out, ": keepalive\n\n");
        }
      }
      if (subscription.overflowed()) {
        log.warn(
            "event stream for {} cut off: the client fell behind", exchange.getRemoteAddress());
      }
    } catch (IOException e) {
      log.debug("event stream ended: {}", e.toString());
    } catch (InterruptedException e) {
      log.debug("event stream interrupted");
    } catch (RuntimeException e) {
      log.error("event stream failed", e);
    } finally {
      subscription.release();
      open.remove(subscription);
      try {
        exchange.close();
      } catch (RuntimeException e) {
        log.debug("closing an event stream: {}", e.toString());
      }
      // why: close() may have interrupted this pooled thread after its last wait
      Thread.interrupted();
    }
  }

  /** A server-sent event: its type, then its JSON on one line. */
  static String sse(PoolEvent event) throws IOException {
    return "event: " + event.type() + "\ndata: " + Json.MAPPER.writeValueAsString(event) + "\n\n";
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The values of {@code key} in a query string, decoded; comma-separated values are split. */
  static List<String> queryValues(String rawQuery, String key) {
    List<String> values = new ArrayList<>();
    if (rawQuery == null || rawQuery.isBlank()) {
      return values;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (name.equals(key) && eq >= 0) {
        for (String v :
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8).split(",")) {
          if (!v.isBlank() && !values.contains(v.strip())) {
            values.add(v.strip());
          }
        }
      }
    }
    return values;
  }

  /** Ends every open stream and stops the stream threads. */
  @Override
  public void close() {
    open.forEach(PoolEvents.Subscription::close);
    threads.shutdownNow();
  }
}
