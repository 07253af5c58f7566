package dev.beadpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import dev.beadpool.store.BeadFilter;
import dev.beadpool.store.NewBead;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The API reads {@code priority} by the same rule as the CLI, the worker's bd and import. */
class CoordinatorApiPriorityTest extends ApiFixture {
  record Answer(int status, JsonNode body) {}

  /** A POST as the CLI sends it (with the token), and its answer. */
  private Answer answer(String endpoint, String body) throws Exception {
    HttpResponse<String> response = post("/api/" + endpoint, body);
    return new Answer(response.statusCode(), Json.MAPPER.readTree(response.body()));
  }

  @Test
  void updateWithAWordForAPriorityIsRefusedWith400AndChangesNothing() throws Exception {
    Bead bead = store.create(NewBead.titled("work"), "test");

    Answer answer = answer("update", "{\"id\":\"" + bead.id() + "\",\"priority\":\"high\"}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().path("error").asText())
        .isEqualTo("priority must be 0..4 or P0..P4, was 'high'");
    assertThat(store.get(bead.id()).priority()).isEqualTo(2);
  }

  @Test
  void createWithAWordForAPriorityIsRefusedWith400AndCreatesNothing() throws Exception {
    Answer answer = answer("create", "{\"title\":\"work\",\"priority\":\"high\"}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().path("error").asText())
        .isEqualTo("priority must be 0..4 or P0..P4, was 'high'");
    assertThat(store.list(BeadFilter.ALL)).isEmpty();
  }

  @Test
  void outOfRangeFractionalAndBooleanPrioritiesAreRefusedNamingTheRule() throws Exception {
    Bead bead = store.create(NewBead.titled("work"), "test");

    for (String value : new String[] {"7", "-1", "1.5", "true", "\"P5\"", "\"\""}) {
      Answer update = answer("update", "{\"id\":\"" + bead.id() + "\",\"priority\":" + value + "}");
      Answer create = answer("create", "{\"title\":\"x\",\"priority\":" + value + "}");

      assertThat(update.status()).as(value).isEqualTo(400);
      assertThat(create.status()).as(value).isEqualTo(400);
      assertThat(update.body().path("error").asText())
          .as(value)
          .startsWith("priority must be 0..4");
    }
    assertThat(store.list(BeadFilter.ALL)).extracting(Bead::id).containsExactly(bead.id());
    assertThat(store.get(bead.id()).priority()).isEqualTo(2);
  }

  @Test
  void theFormsTheCliAndBdAcceptAreAcceptedByTheApiToo() throws Exception {
    Bead bead = store.create(NewBead.titled("work"), "test");

    assertThat(answer("update", "{\"id\":\"" + bead.id() + "\",\"priority\":\"P1\"}").status())
        .isEqualTo(200);
    assertThat(store.get(bead.id()).priority()).isEqualTo(1);
    assertThat(answer("update", "{\"id\":\"" + bead.id() + "\",\"priority\":\"p3\"}").status())
        .isEqualTo(200);
    assertThat(store.get(bead.id()).priority()).isEqualTo(3);
    assertThat(answer("update", "{\"id\":\"" + bead.id() + "\",\"priority\":0}").status())
        .isEqualTo(200);
    assertThat(store.get(bead.id()).priority()).isZero();

    Answer created = answer("create", "{\"title\":\"urgent\",\"priority\":\"P0\"}");
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.body().path("priority").asInt(-1)).isZero();
    Answer defaulted = answer("create", "{\"title\":\"later\"}");
    assertThat(defaulted.body().path("priority").asInt(-1)).isEqualTo(2);
  }
}
