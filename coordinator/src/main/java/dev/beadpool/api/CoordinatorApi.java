package dev.beadpool.api;

import static dev.beadpool.api.JsonExchange.error;
import static dev.beadpool.api.JsonExchange.readBody;
import static dev.beadpool.api.JsonExchange.respond;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.beadpool.bead.Json;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.PoolStatus;
import dev.beadpool.owner.OwnerFile;
import dev.beadpool.owner.StoreLock;
import dev.beadpool.store.BeadNotFoundException;
import dev.beadpool.store.Run;
import dev.beadpool.store.StoreException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * GET  /api/costs?by=bead|epic|profile|day   spend per group, exact, and the pool's total
 * GET  /api/events?bead=ID&bead=ID2   server-sent events (all beads without bead=): a snapshot
 *                    per bead, then each event as it happens, a ": keepalive" comment every 15 s
 * POST /api/close    {"id", "reason", "force", "actor"}
 * POST /api/create   {"title", "description", "type", "priority", "labels", "parent", "deps", "id", "assignee", "actor"}
 * POST /api/update   {"id", "status", "assignee", "priority", "title", "description", "design",
 *                     "acceptance", "notes", "appendNotes", "claim", "actor"}
 * POST /api/dep      {"op": "add"|"remove", "from", "to", "type", "actor"}
 * POST /api/import   {"path", "actor"}
 * POST /api/pause    {"profile" | "all": true, "until": "2h" | ISO time | absent, "reason", "actor"}
 * POST /api/resume   {"profile" | "all": true, "actor"}
 * </pre>
 *
 * Errors: {@code {"error": "..."}} with 400 (bad request), 401 (no or wrong token), 403 (foreign
 * Host or Origin; an import path outside the project), 404 (no such bead), 409 (refused), 413 (too
 * large), 415 (not JSON), 503 (too many event streams).
 *
 * <p>Threads: requests are answered on {@link ApiLimits#requestThreads()} threads, and a client
 * that does not send its whole request within {@link ApiLimits#requestTimeout()} is disconnected,
 * so slow or idle clients cannot hold them all; each event stream has a thread of its own (at most
 * {@link EventStreams#MAX_STREAMS}), so watchers never hold up the other endpoints.
 */
public final class CoordinatorApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorApi.class);

  /** The owner file's name, beside the store. */
  public static final String OWNER_FILE = OwnerFile.NAME;

  /** Connections waiting to be accepted. */
  static final int BACKLOG = 64;

  public static final int DEFAULT_PORT = 7411;

  private final Coordinator coordinator;
  private final HttpServer server;
  private final Path ownerFile;
  private final StoreLock ownedLock;
  private final ApiLimits limits;
  private final RequestGuard guard;
  private final BeadWrites writes;
  private final PauseWrites pauses;
  private final MergeWrites merges;
  private final ExecutorService requests;
  private final EventStreams streams;

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
    this.writes =
        new BeadWrites(
            coordinator,
            new ImportFiles(ImportFiles.projectDirOf(lock.storeFile()), limits.maxImportBytes()));
    this.pauses = new PauseWrites(coordinator);
    this.merges = new MergeWrites(coordinator);
    // why the port in the names: a thread dump then says which API a thread serves
    int port = server.getAddress().getPort();
    this.requests =
        Executors.newFixedThreadPool(
            limits.requestThreads(), ApiThreads.named("coordinator-api-" + port + "-"));
    this.streams = new EventStreams(coordinator, "coordinator-api-" + port + "-stream-");
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
      api.streams.close();
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
      streams.serve(exchange);
      return;
    }
    try {
      RequestBody body =
          new RequestBody(
              "POST".equals(exchange.getRequestMethod())
                  ? readBody(exchange, limits.maxBodyBytes())
                  : Json.MAPPER.createObjectNode());
      JsonNode answer =
          switch (exchange.getRequestMethod() + " " + path) {
            case "GET /api/status" -> status();
            case "GET /api/ps" -> Json.MAPPER.valueToTree(coordinator.running());
            case "GET /api/costs" ->
                CostsEndpoint.answer(coordinator.ledger(), exchange.getRequestURI().getRawQuery());
            case "POST /api/close" -> writes.close(body);
            case "POST /api/create" -> writes.create(body);
            case "POST /api/update" -> writes.update(body);
            case "POST /api/dep" -> writes.dep(body);
            case "POST /api/import" -> writes.importFile(body);
            case "POST /api/pause" -> pauses.pause(body);
            case "POST /api/resume" -> pauses.resume(body);
            case "POST /api/merge" -> merges.merge(body);
            case "POST /api/reject" -> merges.reject(body);
            default ->
                throw new ApiError(
                    404, "no such endpoint: " + exchange.getRequestMethod() + " " + path);
          };
      respond(exchange, 200, answer);
    } catch (JsonExchange.ConnectionLost e) {
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

  /**
   * Stops serving and removes the owner file (this API's: it holds the store's lock, so no other
   * coordinator wrote one meanwhile); then releases the lock if it took it. Safe to call twice.
   */
  @Override
  public void close() {
    streams.close();
    server.stop(0);
    requests.shutdownNow();
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
