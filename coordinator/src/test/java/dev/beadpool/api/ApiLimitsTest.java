package dev.beadpool.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Slow, idle and greedy clients cannot stop the API answering the others. */
@Timeout(90)
class ApiLimitsTest extends ApiFixture {
  static final ApiLimits LIMITS = ApiLimits.ofDefaults();

  /** A request line and some headers, never finished: holds a thread while it is read. */
  Socket halfARequest() throws Exception {
    return raw("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:" + api.port() + "\r\n");
  }

  @Test
  void clientsThatSendHalfARequestDoNotStopARealOneBeingAnswered() throws Exception {
    int idle = LIMITS.requestThreads() / 2;
    for (int i = 0; i < idle; i++) {
      halfARequest();
    }
    await().atMost(WAIT).until(() -> busyRequestThreads() >= idle);

    CompletableFuture<HttpResponse<String>> real =
        http.sendAsync(authorized("/api/status").build(), HttpResponse.BodyHandlers.ofString());

    assertThat(real.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void moreSlowClientsThanThreadsAreCutOffAfterTheRequestTimeoutAndTheApiAnswersAgain()
      throws Exception {
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < LIMITS.requestThreads() + 2; i++) {
      slow.add(halfARequest());
    }
    Socket silent = raw("");
    await().atMost(WAIT).until(() -> busyRequestThreads() >= LIMITS.requestThreads());
    long start = System.nanoTime();

    for (Socket s : slow) {
      assertThat(closedByServer(s)).as("closed by the server").isTrue();
    }
    assertThat(closedByServer(silent)).isTrue();

    Duration bound =
        LIMITS.requestTimeout().plus(LIMITS.timeoutCheckEvery()).plus(Duration.ofSeconds(3));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(bound);
    assertThat(send(authorized("/api/status").build()).statusCode()).isEqualTo(200);
  }

  @Test
  void aBodyThatNeverArrivesIsCutOffToo() throws Exception {
    Socket s =
        raw(
            "POST /api/close HTTP/1.1\r\nHost: 127.0.0.1:"
                + api.port()
                + "\r\nAuthorization: Bearer "
                + token()
                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"id\":");

    long start = System.nanoTime();
    String answer = readAll(s);

    assertThat(answer).doesNotContain("200");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(LIMITS.requestTimeout().plus(Duration.ofSeconds(5)));
  }

  @Test
  void aRequestWithTooManyHeadersIsNotAnswered() throws Exception {
    StringBuilder request =
        new StringBuilder("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:" + api.port() + "\r\n");
    request.append("Authorization: Bearer ").append(token()).append("\r\n");
    for (int i = 0; i < LIMITS.maxRequestHeaders() + 10; i++) {
      request.append("X-Filler-").append(i).append(": x\r\n");
    }
    request.append("Connection: close\r\n\r\n");

    assertThat(readAll(raw(request.toString()))).doesNotStartWith("HTTP/1.1 200");
  }

  @Test
  void theJdkServerIsGivenEveryTimeoutByName() {
    assertThat(ServerTimeouts.properties(LIMITS))
        .containsEntry("sun.net.httpserver.maxReqTime", "10")
        .containsEntry("sun.net.httpserver.maxRspTime", "-1")
        .containsEntry("sun.net.httpserver.idleInterval", "30")
        .containsEntry("sun.net.httpserver.timerMillis", "1000")
        .containsEntry("sun.net.httpserver.clockTick", "1000")
        .containsEntry("sun.net.httpserver.maxReqHeaders", "100");
    assertThat(System.getProperty("sun.net.httpserver.maxReqTime")).isEqualTo("10");
  }

  @Test
  void limitsThatCannotWorkAreRefusedWhenBuilt() {
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new ApiLimits(2, 1, 1, s, s, s, 1))
        .hasMessageContaining("requestThreads must be at least 3, was 2");
    assertThatThrownBy(() -> new ApiLimits(3, 1, 1, Duration.ofMillis(1500), s, s, 1))
        .hasMessageContaining("requestTimeout must be a positive whole number of seconds");
    assertThatThrownBy(() -> new ApiLimits(3, 1, 1, s, Duration.ZERO, s, 1))
        .hasMessageContaining("idleTimeout");
    assertThatThrownBy(() -> new ApiLimits(3, 1, 1, s, s, Duration.ofSeconds(2), 1))
        .hasMessageContaining("timeoutCheckEvery");
    assertThatThrownBy(() -> new ApiLimits(3, 0, 1, s, s, s, 1)).hasMessageContaining("positive");
  }
}
