package dev.beadpool.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Json;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.pause.PauseEnd;
import dev.beadpool.dispatch.pause.PauseView;
import dev.beadpool.store.Pause;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The API's {@code pause} and {@code resume}: a profile ({@code "profile"}) or the whole pool
 * ({@code "all": true}), paused until {@code "until"} (a duration from now on the coordinator's
 * clock, or an ISO time; absent: until resumed). Both answer with the pauses in force after the
 * change.
 */
final class PauseWrites {
  private final Coordinator coordinator;
  private final Clock clock;

  PauseWrites(Coordinator coordinator) {
    this.coordinator = coordinator;
    this.clock = coordinator.clock();
  }

  /** {@code {"profile" | "all": true, "until", "reason", "actor"}}. */
  JsonNode pause(RequestBody body) {
    String profile = scope(body);
    Pause pause;
    try {
      Instant until = PauseEnd.parse(body.text("until"), clock.instant());
      pause = coordinator.pause(profile, until, body.text("reason"), body.actor());
    } catch (IllegalArgumentException e) {
      throw new ApiError(400, e.getMessage());
    }
    ObjectNode answer = Json.MAPPER.createObjectNode();
    answer.set("paused", view(pause));
    answer.set("pauses", inForce());
    return answer;
  }

  /** {@code {"profile" | "all": true, "actor"}}. */
  JsonNode resume(RequestBody body) {
    String profile = scope(body);
    Optional<Pause> ended;
    try {
      ended = coordinator.resume(profile, body.actor());
    } catch (IllegalArgumentException e) {
      throw new ApiError(400, e.getMessage());
    }
    ObjectNode answer = Json.MAPPER.createObjectNode();
    answer.set("resumed", ended.map(this::view).orElse(null));
    answer.set("pauses", inForce());
    return answer;
  }

  /** The profile named, or null for {@code "all": true}; one of the two, not both. */
  private static String scope(RequestBody body) {
    String profile = body.text("profile");
    boolean all = body.flag("all");
    if ((profile == null || profile.isBlank()) == !all) {
      throw new ApiError(
          400, "name a profile (\"profile\") or the whole pool (\"all\": true), one of the two");
    }
    return all ? null : profile;
  }

  private ArrayNode inForce() {
    ArrayNode pauses = Json.MAPPER.createArrayNode();
    coordinator.pauses().forEach(p -> pauses.add(view(p)));
    return pauses;
  }

  private JsonNode view(Pause p) {
    return Json.MAPPER.valueToTree(PauseView.of(p, clock.instant()));
  }
}
