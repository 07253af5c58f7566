package dev.beadpool.testhelper;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadFormatException;
import dev.beadpool.bead.Json;
import java.io.UncheckedIOException;

/** Builds beads from JSON text in tests: {@code Beads.of("{\"id\":\"bd-1\", ...}")}. */
public final class Beads {
  private Beads() {}

  public static ObjectNode node(String json) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Bead of(String json) {
    try {
      return Bead.fromJson(node(json));
    } catch (BeadFormatException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A minimal valid open task. */
  public static Bead task(String id) {
    return of(
        "{\"id\":\""
            + id
            + "\",\"title\":\"T "
            + id
            + "\",\"status\":\"open\",\"priority\":2,\"issue_type\":\"task\","
            + "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}");
  }
}
