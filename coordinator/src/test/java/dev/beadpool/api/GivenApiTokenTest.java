package dev.beadpool.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beadpool.owner.OwnerFile;
import dev.beadpool.owner.StoreLock;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/**
 * A Compose cluster gives the coordinator its API token ({@code BEADPOOL_API_TOKEN}), so the CLI on
 * the host can know it before the coordinator starts.
 */
class GivenApiTokenTest extends ApiFixture {
  static final String GIVEN = "0123456789abcdef0123456789abcdef0123456789abcdef";

  @Test
  void anApiStartedWithAGivenTokenAnswersItAndWritesItToTheOwnerFile() throws Exception {
    api.close();
    try (StoreLock lock = StoreLock.acquire(db)) {
      api =
          CoordinatorApi.start(
              coordinator, lock, "127.0.0.1", 0, ApiLimits.ofDefaults(), ApiToken.of(GIVEN));
      assertThat(OwnerFile.read(OwnerFile.of(db)).orElseThrow().token()).isEqualTo(GIVEN);
      HttpRequest.Builder request = HttpRequest.newBuilder(uri("/api/status")).timeout(WAIT).GET();
      assertThat(send(request.header("Authorization", "Bearer " + GIVEN).build()).statusCode())
          .isEqualTo(200);
      assertThat(
              send(HttpRequest.newBuilder(uri("/api/status"))
                      .timeout(WAIT)
                      .header("Authorization", "Bearer " + GIVEN.replace('0', '1'))
                      .GET()
                      .build())
                  .statusCode())
          .isEqualTo(401);
      api.close();
    }
    // why: the fixture's stopApi closes it again, which must be harmless
  }

  @Test
  void aShortOrBlankedTokenIsRefusedWithoutQuotingIt() {
    assertThatThrownBy(() -> ApiToken.of("short-secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 characters")
        .hasMessageContaining("was 12")
        .hasMessageNotContaining("short-secret");
    assertThatThrownBy(() -> ApiToken.of("0123456789abcdef 0123456789abcdef"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no spaces")
        .hasMessageNotContaining("0123456789abcdef");
    assertThat(ApiToken.of(GIVEN).authorizes("Bearer " + GIVEN)).isTrue();
    assertThat(ApiToken.of(GIVEN).toString()).doesNotContain(GIVEN);
  }
}
