package dev.beadpool.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadFormatException;
import dev.beadpool.bead.Json;
import dev.beadpool.bead.Priority;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.PoolEvents;
import dev.beadpool.dispatch.PoolStatus;
import dev.beadpool.store.BeadNotFoundException;
import dev.beadpool.store.BeadUpdate;
import dev.beadpool.store.ImportResult;
import dev.beadpool.store.NewBead;
import dev.beadpool.store.Run;
import dev.beadpool.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's HTTP API: JSON in, JSON out, loopback by default. The CLI's write commands come
 * here whenever a coordinator owns the store, so the graph and dispatch see every change; reads go
 * to the store directly (SQLite in WAL mode serves readers beside the writer).
 *
 * <p>While it runs, {@code coordinator.json} beside the store names its URL and pid: that is how
 * the CLI finds it, and how it knows the store is owned.
 *
 * <pre>
 * GET  /api/status   pool status and in-flight runs
 * GET  /api/ps       running runs: bead, title, run, attempt, turn, worker, profile, elapsed, last line
 * GET  /api/events?bead=ID&bead=ID2   server-sent events (all beads without bead=): a snapshot
 *                    per bead, then each event as it happens, a ": keepalive" comment every 15 s
 * POST /api/close    {"id", "reason", "force", "actor"}
 * POST /api/create   {"title", "description", "type", "priority", "labels", "parent", "deps", "id", "assignee", "actor"}
 * POST /api/update   {"id", "status", "assignee", "priority", "title", "description", "design",
 *                     "acceptance", "notes", "appendNotes", "claim", "actor"}
 * POST /api/dep      {"op": "add"|"remove", "from", "to", "type", "actor"}
 * POST /api/import   {"path", "actor"}
 * </pre>
 *
 * Errors: {@code {"error": "..."}} with 400 (bad request), 404 (no such bead), 409 (refused), 503
 * (too many event streams).
 *
 * <p>Threads: requests are answered on two threads; each event stream has a thread of its own (at
 * most {@link #MAX_STREAMS}), so watchers never hold up the other endpoints.
 */
public final class CoordinatorApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorApi.class);

  /** The owner file's name, beside the store. */
  public static final String OWNER_FILE = "coordinator.json";

  public static final int DEFAULT_PORT = 7411;

  /** Event streams open at once, at most; one thread each. */
  public static final int MAX_STREAMS = 64;

  /** How often an idle event stream sends a comment, so proxies keep it and dead clients show. */
  public static final Duration KEEPALIVE = Duration.ofSeconds(15);

  private final Coordinator coordinator;
  private final HttpServer server;
  private final Path ownerFile;
  private final ThreadPoolExecutor streams;
  private final Set<PoolEvents.Subscription> openStreams = ConcurrentHashMap.newKeySet();

  private CoordinatorApi(Coordinator coordinator, HttpServer server, Path ownerFile) {
    this.coordinator = coordinator;
    this.server = server;
    this.ownerFile = ownerFile;
    AtomicInteger numbers = new AtomicInteger();
    this.streams =
        new ThreadPoolExecutor(
            0,
            MAX_STREAMS,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "coordinator-api-stream-" + numbers.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts the API and writes the owner file.
   *
   * @param port 0 for any free port
   */
  public static CoordinatorApi start(Coordinator coordinator, Path storeFile, String host, int port)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 32);
    Path owner = storeFile.toAbsolutePath().getParent().resolve(OWNER_FILE);
    CoordinatorApi api = new CoordinatorApi(coordinator, server, owner);
    server.createContext("/api/", api::handle);
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "coordinator-api");
              t.setDaemon(true);
              return t;
            }));
    server.start();
    ObjectNode info = Json.MAPPER.createObjectNode();
    String shownHost = host.equals("0.0.0.0") ? "127.0.0.1" : host;
    info.put("url", "http://" + shownHost + ":" + server.getAddress().getPort());
    info.put("pid", ProcessHandle.current().pid());
    Files.writeString(owner, Json.compact(info) + "\n");
    log.info(
        "coordinator API on {}:{} (owner file {})", host, server.getAddress().getPort(), owner);
    return api;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if ("GET /api/events".equals(exchange.getRequestMethod() + " " + path)) {
      events(exchange);
      return;
    }
    try {
      JsonNode body =
          "POST".equals(exchange.getRequestMethod())
              ? readBody(exchange)
              : Json.MAPPER.createObjectNode();
      JsonNode answer =
          switch (exchange.getRequestMethod() + " " + path) {
            case "GET /api/status" -> status();
            case "GET /api/ps" -> Json.MAPPER.valueToTree(coordinator.running());
            case "POST /api/close" ->
                coordinator
                    .close(
                        required(body, "id"),
                        body.path("reason").asText("Closed"),
                        body.path("force").asBoolean(false),
                        actor(body))
                    .json();
            case "POST /api/create" -> coordinator.create(newBead(body), actor(body)).json();
            case "POST /api/update" -> update(body);
            case "POST /api/dep" -> dep(body);
            case "POST /api/import" -> importFile(body);
            default ->
                throw new ApiError(
                    404, "no such endpoint: " + exchange.getRequestMethod() + " " + path);
          };
      respond(exchange, 200, answer);
    } catch (ApiError e) {
      respond(exchange, e.status, error(e.getMessage()));
    } catch (BeadNotFoundException e) {
      respond(exchange, 404, error(e.getMessage()));
    } catch (StoreException | IllegalArgumentException e) {
      respond(exchange, 409, error(e.getMessage()));
    } catch (Exception e) {
      log.error("API {} failed", path, e);
      respond(exchange, 500, error("internal error: " + e));
    }
  }

  private JsonNode status() {
    PoolStatus s = coordinator.status();
    ObjectNode node = Json.MAPPER.valueToTree(s);
    ArrayNode runs = node.putArray("runs");
    for (Run run : coordinator.ledger().inFlight()) {
      runs.add(Json.MAPPER.valueToTree(run));
    }
    return node;
  }

  // ---- event streams ---------------------------------------------------------------------------

  /** Hands the exchange to a stream thread of its own; 503 when all are taken. */
  private void events(HttpExchange exchange) throws IOException {
    List<String> beadIds = queryValues(exchange.getRequestURI().getRawQuery(), "bead");
    try {
      streams.execute(() -> stream(exchange, beadIds));
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
    openStreams.add(subscription);
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
      openStreams.remove(subscription);
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

  private JsonNode update(JsonNode body) {
    Integer priority = body.hasNonNull("priority") ? priority(body) : null;
    BeadUpdate update =
        new BeadUpdate(
            text(body, "status"),
            text(body, "assignee"),
            priority,
            text(body, "title"),
            text(body, "description"),
            text(body, "design"),
            text(body, "acceptance"),
            text(body, "notes"),
            text(body, "appendNotes"));
    Bead bead =
        coordinator.update(
            required(body, "id"), update, body.path("claim").asBoolean(false), actor(body));
    return bead.json();
  }

  private JsonNode dep(JsonNode body) {
    String op = required(body, "op");
    String from = required(body, "from");
    String to = required(body, "to");
    String type = body.path("type").asText("blocks");
    switch (op) {
      case "add" -> coordinator.addDependency(from, to, type, actor(body));
      case "remove" -> coordinator.removeDependency(from, to, actor(body));
      default -> throw new ApiError(400, "op must be add or remove, was " + op);
    }
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("depends_on_id", to);
    node.put("issue_id", from);
    node.put("status", op.equals("add") ? "added" : "removed");
    node.put("type", type);
    return node;
  }

  private JsonNode importFile(JsonNode body) throws IOException {
    ImportResult r = coordinator.importFile(Path.of(required(body, "path")), actor(body));
    return Json.MAPPER.valueToTree(r);
  }

  private static NewBead newBead(JsonNode body) {
    List<String> labels = strings(body.get("labels"));
    List<String> deps = strings(body.get("deps"));
    return new NewBead(
        required(body, "title"),
        text(body, "description"),
        text(body, "type"),
        body.hasNonNull("priority") ? priority(body) : Bead.DEFAULT_PRIORITY,
        labels,
        text(body, "parent"),
        deps,
        text(body, "id"),
        text(body, "assignee"));
  }

  /** {@code priority} by bd's one rule (0..4 or "P0".."P4"); anything else is a 400. */
  private static int priority(JsonNode body) {
    try {
      return Priority.fromJson(body.get("priority"));
    } catch (BeadFormatException e) {
      throw new ApiError(400, e.sentence());
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(n -> values.add(n.asText()));
    }
    return values;
  }

  private static String text(JsonNode body, String key) {
    JsonNode value = body.get(key);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static String required(JsonNode body, String key) {
    String value = text(body, key);
    if (value == null || value.isBlank()) {
      throw new ApiError(400, "\"" + key + "\" is required");
    }
    return value;
  }

  private static String actor(JsonNode body) {
    String actor = text(body, "actor");
    return actor == null || actor.isBlank() ? "unknown" : actor;
  }

  private static JsonNode readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(1 << 20);
      JsonNode node = Json.parseOrNull(new String(bytes, StandardCharsets.UTF_8));
      if (node == null || !node.isObject()) {
        throw new ApiError(400, "the body must be a JSON object");
      }
      return node;
    }
  }

  private static ObjectNode error(String message) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("error", message);
    return node;
  }

  private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = Json.compact(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** A request the API refuses, with its HTTP status. */
  private static final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    ApiError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /** Stops serving and removes the owner file. */
  @Override
  public void close() {
    openStreams.forEach(PoolEvents.Subscription::close);
    server.stop(0);
    streams.shutdownNow();
    try {
      Files.deleteIfExists(ownerFile);
    } catch (IOException e) {
      log.warn("cannot remove {}: {}", ownerFile, e.toString());
    }
  }
}
