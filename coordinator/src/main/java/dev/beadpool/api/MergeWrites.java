package dev.beadpool.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.bead.Json;
import dev.beadpool.dispatch.Coordinator;

/**
 * The merge queue's endpoints: {@code POST /api/merge} ({@code id}: integrate it) and {@code POST
 * /api/reject} ({@code id}, {@code reason}: back to an agent). The answer is the bead's row in the
 * queue; an id not waiting there is a 409 that says why.
 */
final class MergeWrites {
  /** The longest reason a rejection carries into an agent's prompt. */
  static final int MAX_REASON_CHARS = 4_000;

  private final Coordinator coordinator;

  MergeWrites(Coordinator coordinator) {
    this.coordinator = coordinator;
  }

  JsonNode merge(RequestBody body) {
    return Json.MAPPER.valueToTree(coordinator.mergeQueue().merge(body.required("id")));
  }

  JsonNode reject(RequestBody body) {
    String reason = body.required("reason");
    if (reason.length() > MAX_REASON_CHARS) {
      throw new ApiError(
          400,
          "reason must be at most " + MAX_REASON_CHARS + " characters, was " + reason.length());
    }
    return Json.MAPPER.valueToTree(coordinator.mergeQueue().reject(body.required("id"), reason));
  }
}
