package dev.beadpool.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import dev.beadpool.broker.EmbeddedBroker;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.store.BeadFilter;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.NewBead;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API reads {@code priority} by the same rule as the CLI, the worker's bd and import. */
class CoordinatorApiPriorityTest {
  @TempDir Path dir;

  private EmbeddedBroker broker;
  private BeadStore store;
  private Coordinator coordinator;
  private CoordinatorApi api;
  private final HttpClient http = HttpClient.newHttpClient();

  record Answer(int status, JsonNode body) {}

  @BeforeEach
  void startCoordinatorWithItsApi() throws Exception {
    broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
    Path db = dir.resolve("beads.db");
    store = BeadStore.open(db, Clock.systemUTC());
    coordinator =
        new Coordinator(
            store,
            CoordinatorSettings.defaults(BrokerSettings.anonymous(broker.url())),
            Clock.systemUTC());
    coordinator.start();
    api = CoordinatorApi.start(coordinator, db, "127.0.0.1", 0);
  }

  @AfterEach
  void stopAll() throws Exception {
    api.close();
    coordinator.close();
    store.close();
    broker.close();
  }

  private Answer post(String endpoint, String body) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + api.port() + "/api/" + endpoint))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), Json.MAPPER.readTree(response.body()));
  }

  @Test
  void updateWithAWordForAPriorityIsRefusedWith400AndChangesNothing() throws Exception {
    Bead bead = store.create(NewBead.titled("work"), "test");

    Answer answer = post("update", "{\"id\":\"" + bead.id() + "\",\"priority\":\"high\"}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().path("error").asText())
        .isEqualTo("priority must be 0..4 or P0..P4, was 'high'");
    assertThat(store.get(bead.id()).priority()).isEqualTo(2);
  }

  @Test
  void createWithAWordForAPriorityIsRefusedWith400AndCreatesNothing() throws Exception {
    Answer answer = post("create", "{\"title\":\"work\",\"priority\":\"high\"}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().path("error").asText())
        .isEqualTo("priority must be 0..4 or P0..P4, was 'high'");
    assertThat(store.list(BeadFilter.ALL)).isEmpty();
  }

  @Test
  void outOfRangeFractionalAndBooleanPrioritiesAreRefusedNamingTheRule() throws Exception {
    Bead bead = store.create(NewBead.titled("work"), "test");

    for (String value : new String[] {"7", "-1", "1.5", "true", "\"P5\"", "\"\""}) {
      Answer update = post("update", "{\"id\":\"" + bead.id() + "\",\"priority\":" + value + "}");
      Answer create = post("create", "{\"title\":\"x\",\"priority\":" + value + "}");

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

    assertThat(post("update", "{\"id\":\"" + bead.id() + "\",\"priority\":\"P1\"}").status())
        .isEqualTo(200);
    assertThat(store.get(bead.id()).priority()).isEqualTo(1);
    assertThat(post("update", "{\"id\":\"" + bead.id() + "\",\"priority\":\"p3\"}").status())
        .isEqualTo(200);
    assertThat(store.get(bead.id()).priority()).isEqualTo(3);
    assertThat(post("update", "{\"id\":\"" + bead.id() + "\",\"priority\":0}").status())
        .isEqualTo(200);
    assertThat(store.get(bead.id()).priority()).isZero();

    Answer created = post("create", "{\"title\":\"urgent\",\"priority\":\"P0\"}");
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.body().path("priority").asInt(-1)).isZero();
    Answer defaulted = post("create", "{\"title\":\"later\"}");
    assertThat(defaulted.body().path("priority").asInt(-1)).isEqualTo(2);
  }
}
