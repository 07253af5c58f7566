package dev.beadpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.beadpool.bead.Bead;
import dev.beadpool.owner.OwnerFile;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A web page in the user's browser, or anyone without the token, cannot drive the API. */
class ApiSecurityTest extends ApiFixture {
  static final List<String> GETS = List.of("/api/status", "/api/ps", "/api/events");
  static final List<String> POSTS =
      List.of("/api/close", "/api/create", "/api/update", "/api/dep", "/api/import");

  @Test
  void aCrossSiteTextPostFromAWebPageDoesNotCloseABead() throws Exception {
    Bead bead = bead("work");

    // what a page on another site may send without asking: a "simple" request, no token
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(uri("/api/close"))
                .header("Origin", "http://evil.example")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + bead.id() + "\"}"))
                .build());

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("\"error\"").contains("cross-origin");
    assertThat(store.get(bead.id()).isClosed()).isFalse();
  }

  @Test
  void everyEndpointRefusesARequestWithoutTheToken() throws Exception {
    Bead bead = bead("work");
    for (String path : GETS) {
      HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)).timeout(WAIT).build());
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(r.body()).as(path).contains("missing API token");
    }
    for (String path : POSTS) {
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(uri(path))
                  .timeout(WAIT)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + bead.id() + "\"}"))
                  .build());
      assertThat(r.statusCode()).as(path).isEqualTo(401);
    }
    assertThat(api.unauthorizedRequests()).isEqualTo(GETS.size() + POSTS.size());
    assertThat(store.get(bead.id()).isClosed()).isFalse();
  }

  @Test
  void aWrongTokenIsRefusedCountedAndNeverEchoed() throws Exception {
    Bead bead = bead("work");
    Logger guardLog = (Logger) LoggerFactory.getLogger(RequestGuard.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    guardLog.addAppender(logged);
    try {
      String wrong = "not-the-token-" + token().substring(0, 10);

      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(uri("/api/close"))
                  .header("Authorization", "Bearer " + wrong)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + bead.id() + "\"}"))
                  .build());

      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.body())
          .contains("wrong API token")
          .doesNotContain(wrong)
          .doesNotContain(token());
      assertThat(api.unauthorizedRequests()).isEqualTo(1);
      assertThat(logged.list).hasSize(1);
      assertThat(logged.list.get(0).getFormattedMessage())
          .contains("refused (401)")
          .doesNotContain(wrong)
          .doesNotContain(token());
      assertThat(store.get(bead.id()).isClosed()).isFalse();
    } finally {
      guardLog.detachAppender(logged);
    }
  }

  @Test
  void theTokenOpensEveryEndpoint() throws Exception {
    Bead bead = bead("work");

    assertThat(send(authorized("/api/status").GET().build()).statusCode()).isEqualTo(200);
    assertThat(send(authorized("/api/ps").GET().build()).statusCode()).isEqualTo(200);
    HttpResponse<String> closed = post("/api/close", "{\"id\":\"" + bead.id() + "\"}");

    assertThat(closed.statusCode()).as(closed.body()).isEqualTo(200);
    assertThat(store.get(bead.id()).isClosed()).isTrue();
  }

  @Test
  void theEventStreamNeedsTheTokenToo() throws Exception {
    Bead bead = bead("work");
    HttpResponse<java.io.InputStream> without =
        http.send(
            HttpRequest.newBuilder(uri("/api/events?bead=" + bead.id())).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(without.statusCode()).isEqualTo(401);
    without.body().close();

    HttpResponse<java.io.InputStream> with =
        http.send(
            authorized("/api/events?bead=" + bead.id()).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(with.statusCode()).isEqualTo(200);
    with.body().close();
  }

  @Test
  void aRequestAddressedToAnotherHostIsRefusedAsDnsRebinding() throws Exception {
    // a page on evil.example whose name now resolves to 127.0.0.1: the browser sends its own Host
    Socket s =
        raw(
            "GET /api/status HTTP/1.1\r\nHost: evil.example:"
                + api.port()
                + "\r\nAuthorization: Bearer "
                + token()
                + "\r\nConnection: close\r\n\r\n");

    String answer = readAll(s);

    assertThat(answer).startsWith("HTTP/1.1 403").contains("\"error\"").contains("Host header");
    assertThat(api.forbiddenRequests()).isEqualTo(1);
  }

  @Test
  void theApiOwnAddressesAreAnswered() throws Exception {
    for (String host : List.of("127.0.0.1", "localhost")) {
      Socket s =
          raw(
              "GET /api/status HTTP/1.1\r\nHost: "
                  + host
                  + ":"
                  + api.port()
                  + "\r\nOrigin: http://"
                  + host
                  + ":"
                  + api.port()
                  + "\r\nAuthorization: Bearer "
                  + token()
                  + "\r\nConnection: close\r\n\r\n");
      assertThat(readAll(s)).as(host).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void aRightPortOnAWrongHostOrAWrongPortIsRefused() throws Exception {
    for (String host :
        List.of(
            "127.0.0.1:" + (api.port() + 1),
            "127.0.0.1",
            "10.0.0.1:" + api.port(),
            "127.0.0.1:x")) {
      Socket s =
          raw(
              "GET /api/status HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nAuthorization: Bearer "
                  + token()
                  + "\r\nConnection: close\r\n\r\n");
      assertThat(readAll(s)).as(host).startsWith("HTTP/1.1 403");
    }
    Socket none =
        raw(
            "GET /api/status HTTP/1.0\r\nAuthorization: Bearer "
                + token()
                + "\r\nConnection: close\r\n\r\n");
    assertThat(readAll(none)).startsWith("HTTP/1.1 403");
  }

  @Test
  void aForeignOriginIsRefusedEvenWithTheToken() throws Exception {
    Bead bead = bead("work");
    for (String origin : List.of("http://evil.example", "null", "https://127.0.0.1:1")) {
      HttpResponse<String> r =
          send(
              authorized("/api/close")
                  .header("Origin", origin)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + bead.id() + "\"}"))
                  .build());
      assertThat(r.statusCode()).as(origin).isEqualTo(403);
    }
    assertThat(store.get(bead.id()).isClosed()).isFalse();
  }

  @Test
  void aPostThatIsNotJsonIsRefusedEvenWithTheToken() throws Exception {
    Bead bead = bead("work");
    for (String type :
        List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data")) {
      HttpResponse<String> r =
          send(
              authorized("/api/close")
                  .header("Content-Type", type)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + bead.id() + "\"}"))
                  .build());
      assertThat(r.statusCode()).as(type).isEqualTo(415);
      assertThat(r.body()).contains("application/json");
    }
    HttpResponse<String> none =
        send(
            authorized("/api/close")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + bead.id() + "\"}"))
                .build());
    assertThat(none.statusCode()).isEqualTo(415);
    assertThat(store.get(bead.id()).isClosed()).isFalse();
    HttpResponse<String> charset =
        send(
            authorized("/api/close")
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + bead.id() + "\"}"))
                .build());
    assertThat(charset.statusCode()).isEqualTo(200);
  }

  @Test
  void aBodyPastTheLimitIsRefusedWith413() throws Exception {
    int limit = ApiLimits.DEFAULT_MAX_BODY_BYTES;
    Socket declared =
        raw(
            "POST /api/create HTTP/1.1\r\nHost: 127.0.0.1:"
                + api.port()
                + "\r\nAuthorization: Bearer "
                + token()
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + (limit + 1)
                + "\r\n\r\n");

    String answer = readAll(declared);

    assertThat(answer).startsWith("HTTP/1.1 413").contains("limit of " + limit + " bytes");
    assertThat(store.count()).isZero();
  }

  @Test
  void aChunkedBodyPastTheLimitIsRefusedWith413() throws Exception {
    int limit = ApiLimits.DEFAULT_MAX_BODY_BYTES;
    String chunk = "x".repeat(limit + 1);
    Socket chunked =
        raw(
            "POST /api/create HTTP/1.1\r\nHost: 127.0.0.1:"
                + api.port()
                + "\r\nAuthorization: Bearer "
                + token()
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(chunk.length())
                + "\r\n"
                + chunk
                + "\r\n0\r\n\r\n");

    String answer = readAll(chunked);

    assertThat(answer).startsWith("HTTP/1.1 413");
    assertThat(store.count()).isZero();
  }

  @Test
  void theOwnerFileHoldsAFreshTokenReadableByItsOwnerOnly() throws Exception {
    java.nio.file.Path file = OwnerFile.of(db);
    OwnerFile owner = OwnerFile.read(file).orElseThrow();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(owner.token()).hasSizeGreaterThanOrEqualTo(43);
    assertThat(owner.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(owner.port()).isEqualTo(api.port());
    assertThat(owner.toString()).doesNotContain(owner.token());
    try (var siblings = Files.list(file.getParent())) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .as("no temporary file left behind")
          .noneMatch(n -> n.endsWith(".tmp"));
    }

    api.close();
    api = CoordinatorApi.start(coordinator, db, "127.0.0.1", 0);
    assertThat(OwnerFile.read(file).orElseThrow().token()).isNotEqualTo(owner.token());
  }
}
