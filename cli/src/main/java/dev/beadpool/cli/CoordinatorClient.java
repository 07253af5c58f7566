package dev.beadpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.api.ApiToken;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadFormatException;
import dev.beadpool.bead.Json;
import dev.beadpool.owner.OwnerFile;
import dev.beadpool.store.BeadNotFoundException;
import dev.beadpool.store.RefusedException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The CLI's side of the coordinator's HTTP API: write commands go here when a coordinator owns the
 * store.
 */
final class CoordinatorClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** The API token for {@code --server} users (never a flag: it would show in {@code ps}). */
  static final String TOKEN_ENV = "BEADPOOL_API_TOKEN";

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final URI base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

  /**
   * @param token the API token, sent with every request; null or blank: none (the coordinator will
   *     answer 401, which says how to give one)
   */
  CoordinatorClient(String url, String token) {
    this.base = URI.create(url.endsWith("/") ? url : url + "/");
    this.token = token == null ? "" : token.strip();
  }

  /**
   * The coordinator that owns the store at {@code db}, if one is running: its owner file names it
   * and holds its token. A file left by a coordinator that died is ignored.
   */
  static Optional<CoordinatorClient> owning(Path db) {
    return ownerOf(db)
        .filter(OwnerFile::ownerAlive)
        .map(owner -> new CoordinatorClient(owner.url(), owner.token()));
  }

  /**
   * The coordinator at {@code url} ({@code --server}), with the token {@code $BEADPOOL_API_TOKEN}
   * gives, else the one in the store's owner file if that file names the same URL.
   */
  static CoordinatorClient at(String url, Path db) {
    String env = System.getenv(TOKEN_ENV);
    if (env != null && !env.isBlank()) {
      return new CoordinatorClient(url, env);
    }
    String token =
        ownerOf(db).filter(owner -> sameUrl(owner.url(), url)).map(OwnerFile::token).orElse(null);
    return new CoordinatorClient(url, token);
  }

  private static boolean sameUrl(String a, String b) {
    return a.replaceAll("/+$", "").equals(b.replaceAll("/+$", ""));
  }

  private static Optional<OwnerFile> ownerOf(Path db) {
    Path file = OwnerFile.of(db);
    try {
      return OwnerFile.read(file);
    } catch (AccessDeniedException e) {
      throw new CliException(
          "cannot read "
              + file
              + ": it holds the running coordinator's API token and only the user who started it"
              + " may read it; run beadpool as that user");
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
    if (!token.isEmpty()) {
      b.header("Authorization", ApiToken.header(token));
    }
    return b;
  }

  String url() {
    return base.toString();
  }

  JsonNode get(String endpoint) {
    return send(request("api/" + endpoint).GET().build());
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
        request(query.toString()).header("Accept", "text/event-stream").GET().build();
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
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        // why Unavailable: a coordinator restarting gets a new token, found again on reconnect
        throw new Unavailable(refused(response.statusCode(), error));
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
        request("api/" + endpoint)
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
      case 401, 403 -> throw new CliException(refused(response.statusCode(), error));
      default ->
          throw new CliException(
              "coordinator " + base + " answered " + response.statusCode() + ": " + error);
    }
  }

  /** A 401 or 403, saying where the token comes from. */
  private String refused(int status, String error) {
    String message =
        "the coordinator at " + base + " refused the request (" + status + ": " + error + ")";
    if (status == 401) {
      message +=
          token.isEmpty()
              ? "; no API token was sent: with --server, set " + TOKEN_ENV
              : "; the API token sent is not its token: "
                  + TOKEN_ENV
                  + " (with --server) must be the token in its coordinator.json";
    }
    return message;
  }

  static Bead bead(JsonNode json) {
    try {
      return Bead.fromJson((ObjectNode) json);
    } catch (BeadFormatException e) {
      throw new CliException("the coordinator sent an unreadable bead: " + e.getMessage());
    }
  }
}
