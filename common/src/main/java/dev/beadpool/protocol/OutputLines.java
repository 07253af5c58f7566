package dev.beadpool.protocol;

import java.util.List;
import java.util.Objects;

/** Lines an agent wrote, as they come: for watchers only, never persisted by the broker. */
public record OutputLines(int v, String beadId, long run, String worker, List<String> lines) {
  public OutputLines {
    Objects.requireNonNull(beadId, "beadId");
    lines = lines == null ? List.of() : List.copyOf(lines);
  }

  public static OutputLines of(String beadId, long run, String worker, List<String> lines) {
    return new OutputLines(Wire.VERSION, beadId, run, worker, lines);
  }
}
