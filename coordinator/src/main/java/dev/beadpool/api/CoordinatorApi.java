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
import dev.beadpool.jsonl.JsonlLine;
import dev.beadpool.owner.OwnerFile;
import dev.beadpool.owner.StoreLock;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
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
 * <p>While it runs, {@code coordinator.json} beside the store (mode 0600) names its URL, its pid
 * and the API token: that is how the CLI finds it and may talk to it. It runs only while its
 * process holds the store's lock ({@link StoreLock}), so one coordinator owns a store.
 *
 * <p>Every request must carry {@code Authorization: Bearer TOKEN} (401 without), be addressed to
 * the API's own host and port, and carry no foreign {@code Origin} (403); a POST must be {@code
 * application/json} (415) of at most {@link ApiLimits#maxBodyBytes()} (413). See {@link
 * RequestGuard}.
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
 * Errors: {@code {"error": "..."}} with 400 (bad request), 401 (no or wrong token), 403 (foreign
 * Host or Origin; an import path outside the project), 404 (no such bead), 409 (refused), 413 (too
 * large), 415 (not JSON), 503 (too many event streams).
 *
 * <p>Threads: requests are answered on {@link ApiLimits#requestThreads()} threads, and a client
 * that does not send its whole request within {@link ApiLimits#requestTimeout()} is disconnected,
 * so slow or idle clients cannot hold them all; each event stream has a thread of its own (at most
 * {@link #MAX_STREAMS}), so watchers never hold up the other endpoints.
 */
public final class CoordinatorApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorApi.class);

  /** The owner file's name, beside the store. */
  public static final String OWNER_FILE = OwnerFile.NAME;

  /** What an invalid line of an imported file is answered with: its number, not its text. */
  static final String INVALID_LINE =
      "invalid line (its reason is not sent over the API; the CLI reads it from the file)";

  /** Connections waiting to be accepted. */
  static final int BACKLOG = 64;

  /** How long an idle event-stream thread is kept for the next stream. */
  static final Duration STREAM_THREAD_KEEP_ALIVE = Duration.ofSeconds(60);

  public static final int DEFAULT_PORT = 7411;

  /** Event streams open at once, at most; one thread each. */
  public static final int MAX_STREAMS = 64;

  /** How often an idle event stream sends a comment, so proxies keep it and dead clients show. */
  public static final Duration KEEPALIVE = Duration.ofSeconds(15);

  private final Coordinator coordinator;
  private final HttpServer server;
  private final Path ownerFile;
  private final StoreLock ownedLock;
  private final ApiLimits limits;
  private final RequestGuard guard;
  private final ImportFiles importFiles;
  private final ExecutorService requests;
  private final ThreadPoolExecutor streams;
  private final Set<PoolEvents.Subscription> openStreams = ConcurrentHashMap.newKeySet();

  private CoordinatorApi(
      Coordinator coordinator,
      HttpServer server,
      StoreLock lock,
      StoreLock ownedLock,
      ApiLimits limits,
      RequestGuard guard) {
    this.coordinator = coordinator;
    this.server = server;
    this.ownerFile = OwnerFile.of(lock.storeFile());
    this.ownedLock = ownedLock;
    this.limits = limits;
    this.guard = guard;
    this.importFiles =
        new ImportFiles(ImportFiles.projectDirOf(lock.storeFile()), limits.maxImportBytes());
    // why the port in the names: a thread dump then says which API a thread serves
    int port = server.getAddress().getPort();
    this.requests =
        Executors.newFixedThreadPool(
            limits.requestThreads(), named("coordinator-api-" + port + "-"));
    this.streams =
        new ThreadPoolExecutor(
            0,
            MAX_STREAMS,
            STREAM_THREAD_KEEP_ALIVE.toMillis(),
            TimeUnit.MILLISECONDS,
            new SynchronousQueue<>(),
            named("coordinator-api-" + port + "-stream-"));
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger numbers = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + numbers.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Takes the store's lock, then starts the API on it with the default limits; closing the API
   * releases the lock. For a caller that holds the lock itself (a coordinator process takes it
   * before anything else), see {@link #start(Coordinator, StoreLock, String, int, ApiLimits)}.
   *
   * @param port 0 for any free port
   * @throws dev.beadpool.owner.StoreOwnedException if another coordinator owns the store
   */
  public static CoordinatorApi start(Coordinator coordinator, Path storeFile, String host, int port)
      throws IOException {
    StoreLock lock = StoreLock.acquire(storeFile);
    try {
      return start(
          coordinator, lock, lock, host, port, ApiLimits.ofDefaults(), ApiToken.generate());
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * Starts the API for the store whose lock the caller holds, and writes the owner file (URL, pid,
   * a new token; mode 0600) before the first request is answered. The caller releases the lock
   * after closing the API.
   *
   * @param port 0 for any free port
   */
  public static CoordinatorApi start(
      Coordinator coordinator, StoreLock lock, String host, int port, ApiLimits limits)
      throws IOException {
    return start(coordinator, lock, null, host, port, limits, ApiToken.generate());
  }

  /** As {@link #start(Coordinator, StoreLock, String, int, ApiLimits)}, with a given token. */
  public static CoordinatorApi start(
      Coordinator coordinator,
      StoreLock lock,
      String host,
      int port,
      ApiLimits limits,
      ApiToken token)
      throws IOException {
    return start(coordinator, lock, null, host, port, limits, token);
  }

  private static CoordinatorApi start(
      Coordinator coordinator,
      StoreLock lock,
      StoreLock ownedLock,
      String host,
      int port,
      ApiLimits limits,
      ApiToken token)
      throws IOException {
    // why: the JDK reads its timeouts when the first server is created, never after
    ServerTimeouts.apply(limits);
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), BACKLOG);
    int bound = server.getAddress().getPort();
    CoordinatorApi api =
        new CoordinatorApi(
            coordinator, server, lock, ownedLock, limits, new RequestGuard(token, host, bound));
    server.createContext("/api/", api::handle);
    server.setExecutor(api.requests);
    String shownHost = host.equals("0.0.0.0") ? "127.0.0.1" : host;
    try {
      // why before start(): whoever is answered can already read the token it needs
      new OwnerFile(
              "http://" + shownHost + ":" + bound, ProcessHandle.current().pid(), token.value())
          .write(api.ownerFile);
    } catch (IOException e) {
      server.stop(0);
      api.requests.shutdownNow();
      api.streams.shutdownNow();
      throw e;
    }
    server.start();
    log.info(
        "coordinator API on {}:{} (owner file {}, token in it; {} request threads, request timeout"
            + " {}, idle timeout {}, bodies up to {} bytes)",
        host,
        bound,
        api.ownerFile,
        limits.requestThreads(),
        limits.requestTimeout(),
        limits.idleTimeout(),
        limits.maxBodyBytes());
    return api;
  }

  /** The project directory of a store: the one holding {@code .beadpool/}. */
  public static Path projectDirOf(Path storeFile) {
    return ImportFiles.projectDirOf(storeFile);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Requests refused for a missing or wrong token, since start. */
  public long unauthorizedRequests() {
    return guard.unauthorized();
  }

  /** Requests refused for their Host, Origin or Content-Type, since start. */
  public long forbiddenRequests() {
    return guard.forbidden();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Optional<RequestGuard.Refusal> refusal =
        guard.check(
            exchange.getRequestMethod(), exchange.getRequestHeaders(), exchange.getRemoteAddress());
    if (refusal.isPresent()) {
      respond(exchange, refusal.get().status(), error(refusal.get().message()));
      return;
    }
    if ("GET /api/events".equals(exchange.getRequestMethod() + " " + path)) {
      events(exchange);
      return;
    }
    try {
      JsonNode body =
          "POST".equals(exchange.getRequestMethod())
              ? readBody(exchange, limits.maxBodyBytes())
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
    } catch (ConnectionLost e) {
      // why not an error: a client slower than the request timeout is cut off on purpose
      log.info(
          "API {} from {}: the request body did not arrive ({})",
          path,
          exchange.getRemoteAddress(),
          e.getMessage());
      exchange.close();
    } catch (ApiError e) {
      if (e.status == 413) {
        // why: the rest of the body is not read, so the connection cannot carry another request
        exchange.getResponseHeaders().set("Connection", "close");
      }
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

  /**
   * Imports a file under the project directory. Its invalid lines are answered by number only: a
   * line's reason may quote it, and the caller learns nothing of a file it could not read itself
   * (the CLI, which can, reads the reasons from the file).
   */
  private JsonNode importFile(JsonNode body) throws IOException {
    Path file;
    try {
      file = importFiles.check(required(body, "path"));
    } catch (ImportFiles.Refused e) {
      throw new ApiError(e.status, e.getMessage());
    }
    ImportResult r = coordinator.importFile(file, actor(body));
    List<JsonlLine.Invalid> numbersOnly =
        r.invalid().stream()
            .map(bad -> new JsonlLine.Invalid(bad.lineNumber(), bad.file(), null, INVALID_LINE))
            .toList();
    return Json.MAPPER.valueToTree(
        new ImportResult(
            r.created(),
            r.updated(),
            r.unchanged(),
            r.stale(),
            r.skippedLines(),
            numbersOnly,
            r.skippedEdges(),
            r.warnings(),
            r.cycles(),
            r.notBeads()));
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

  private static JsonNode readBody(HttpExchange exchange, int maxBytes) {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null
        && length.strip().matches("\\d{1,18}")
        && Long.parseLong(length.strip()) > maxBytes) {
      throw new ApiError(413, "the body is larger than the API's limit of " + maxBytes + " bytes");
    }
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(maxBytes + 1);
    } catch (IOException e) {
      throw new ConnectionLost(e);
    }
    if (bytes.length > maxBytes) {
      throw new ApiError(413, "the body is larger than the API's limit of " + maxBytes + " bytes");
    }
    JsonNode node = Json.parseOrNull(new String(bytes, StandardCharsets.UTF_8));
    if (node == null || !node.isObject()) {
      throw new ApiError(400, "the body must be a JSON object");
    }
    return node;
  }

  /** The client went away, or was cut off for sending too slowly, before its body arrived. */
  private static final class ConnectionLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConnectionLost(IOException cause) {
      super(cause.toString(), cause);
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

  /**
   * Stops serving and removes the owner file (this API's: it holds the store's lock, so no other
   * coordinator wrote one meanwhile); then releases the lock if it took it. Safe to call twice.
   */
  @Override
  public void close() {
    openStreams.forEach(PoolEvents.Subscription::close);
    server.stop(0);
    requests.shutdownNow();
    streams.shutdownNow();
    try {
      Files.deleteIfExists(ownerFile);
    } catch (IOException e) {
      log.warn("cannot remove {}: {}", ownerFile, e.toString());
    }
    if (ownedLock != null) {
      try {
        ownedLock.close();
      } catch (IOException e) {
        log.warn("cannot release the lock of {}: {}", ownedLock.storeFile(), e.toString());
      }
    }
  }
}
