package dev.beadpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.bead.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/pause} and {@code /api/resume}: a profile or the whole pool, one of the two; an
 * end as a duration or an ISO time; the answer lists the pauses in force, as {@code /api/status}
 * does. Like every write, only with the token.
 */
class PauseApiTest extends ApiFixture {

  @Test
  void aPauseIsAnsweredWithThePausesInForceAndShownByStatusUntilResumed() throws Exception {
    HttpResponse<String> paused =
        post(
            "/api/pause",
            "{\"all\": true, \"until\": \"2h\", \"reason\": \"a bill\", \"actor\": \"al\"}");

    assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
    JsonNode answer = Json.MAPPER.readTree(paused.body());
    assertThat(answer.path("paused").path("pool").asBoolean()).isTrue();
    assertThat(answer.path("paused").path("by").asText()).isEqualTo("al");
    assertThat(answer.path("paused").path("text").asText())
        .startsWith("the pool paused until ")
        .endsWith(" UTC: a bill, by al");
    assertThat(answer.path("pauses")).hasSize(1);
    JsonNode status = Json.MAPPER.readTree(send(authorized("/api/status").GET().build()).body());
    assertThat(status.path("paused")).hasSize(1);
    assertThat(status.path("paused").get(0).path("reason").asText()).isEqualTo("a bill");

    HttpResponse<String> resumed = post("/api/resume", "{\"all\": true, \"actor\": \"bo\"}");

    assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(resumed.body()).path("resumed").path("pool").asBoolean())
        .isTrue();
    assertThat(Json.MAPPER.readTree(resumed.body()).path("pauses")).isEmpty();
  }

  @Test
  void aBadPauseRequestIsA400ThatSaysWhy() throws Exception {
    assertThat(post("/api/pause", "{\"all\": true, \"profile\": \"default\"}").body())
        .contains("one of the two");
    assertThat(post("/api/pause", "{}").statusCode()).isEqualTo(400);
    HttpResponse<String> badEnd = post("/api/pause", "{\"all\": true, \"until\": \"later\"}");
    assertThat(badEnd.statusCode()).isEqualTo(400);
    assertThat(badEnd.body()).contains("a duration (30m, 2h) or an ISO time");
    HttpResponse<String> past =
        post("/api/pause", "{\"all\": true, \"until\": \"2000-01-01T00:00:00Z\"}");
    assertThat(past.statusCode()).isEqualTo(400);
    HttpResponse<String> unknown = post("/api/pause", "{\"profile\": \"nope\"}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("no profile 'nope' in beadpool.yaml (profiles: default)");
    HttpResponse<String> twoLines =
        post("/api/pause", "{\"all\": true, \"reason\": \"one\\ntwo\"}");
    assertThat(twoLines.statusCode()).isEqualTo(400);
  }

  @Test
  void aPauseWithoutTheTokenIsRefused() throws Exception {
    HttpResponse<String> refused =
        send(
            HttpRequest.newBuilder(uri("/api/pause"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"all\": true}"))
                .build());

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(coordinator.pauses()).isEmpty();
  }
}
