package dev.beadpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.api.CoordinatorApi;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadFormatException;
import dev.beadpool.bead.Json;
import dev.beadpool.store.BeadNotFoundException;
import dev.beadpool.store.RefusedException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The CLI's side of the coordinator's HTTP API: write commands go here when a coordinator owns the
 * store.
 */
final class CoordinatorClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  CoordinatorClient(String url) {
    this.base = URI.create(url.endsWith("/") ? url : url + "/");
  }

  /**
   * The coordinator that owns the store at {@code db}, if one is running: its owner file names it.
   * A file left by a coordinator that died is ignored.
   */
  static Optional<CoordinatorClient> owning(Path db) {
    Path owner = db.toAbsolutePath().getParent().resolve(CoordinatorApi.OWNER_FILE);
    if (!Files.isRegularFile(owner)) {
      return Optional.empty();
    }
    try {
      JsonNode info = Json.MAPPER.readTree(owner.toFile());
      long pid = info.path("pid").asLong(-1);
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      return alive
          ? Optional.of(new CoordinatorClient(info.path("url").asText()))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  String url() {
    return base.toString();
  }

  JsonNode get(String endpoint) {
    return send(
        HttpRequest.newBuilder(base.resolve("api/" + endpoint)).timeout(TIMEOUT).GET().build());
  }

  /**
   * Opens the coordinator's event stream for {@code beadIds} (empty: every bead). A bead it does
   * not know, or a coordinator that does not answer, is an error with exit code 2.
   */
  EventStream events(java.util.Collection<String> beadIds) {
    StringBuilder query = new StringBuilder("api/events");
    String sep = "?";
    for (String id : beadIds) {
      query.append(sep).append("bead=").append(URLEncoder.encode(id, StandardCharsets.UTF_8));
      sep = "&";
    }
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(query.toString()))
            .timeout(TIMEOUT)
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    HttpResponse<java.io.InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new Unavailable(
          "the coordinator at " + base + " does not answer (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", ExitCodes.USAGE);
    }
    if (response.statusCode() != 200) {
      String body;
      try (java.io.InputStream in = response.body()) {
        body = new String(in.readNBytes(1 << 16), StandardCharsets.UTF_8);
      } catch (IOException e) {
        body = "";
      }
      JsonNode answer = Json.parseOrNull(body);
      String error = answer == null ? body : answer.path("error").asText(body);
      if (response.statusCode() == 404) {
        throw new CliException(error, ExitCodes.USAGE);
      }
      throw new Unavailable(
          "coordinator " + base + " answered " + response.statusCode() + ": " + error);
    }
    return new EventStream(response.body(), base.toString());
  }

  /** No coordinator answers now (none running, not reachable, too busy): it may later. */
  static final class Unavailable extends CliException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message, ExitCodes.USAGE);
    }
  }

  JsonNode post(String endpoint, ObjectNode body) {
    return send(
        HttpRequest.newBuilder(base.resolve("api/" + endpoint))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.compact(body)))
            .build());
  }

  private JsonNode send(HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CliException(
          "the store is owned by the coordinator at "
              + base
              + ", which does not answer ("
              + e.getMessage()
              + "); is it running? Writes go through it, not to the store.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    JsonNode answer = Json.parseOrNull(response.body());
    String error = answer == null ? response.body() : answer.path("error").asText(null);
    switch (response.statusCode()) {
      case 200 -> {
        return answer;
      }
      case 404 ->
          throw new BeadNotFoundException(
              error == null ? "?" : error.replace("no issue found matching ", ""));
      case 409 -> throw new RefusedException(error);
      default ->
          throw new CliException(
              "coordinator " + base + " answered " + response.statusCode() + ": " + error);
    }
  }

  static Bead bead(JsonNode json) {
    try {
      return Bead.fromJson((ObjectNode) json);
    } catch (BeadFormatException e) {
      throw new CliException("the coordinator sent an unreadable bead: " + e.getMessage());
    }
  }
}
