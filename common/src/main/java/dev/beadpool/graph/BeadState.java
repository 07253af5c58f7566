package dev.beadpool.graph;

import dev.beadpool.bead.Bead;
import java.time.Instant;
import java.util.Objects;

/**
 * The part of a bead that readiness depends on. The engine holds these, not whole beads, so a graph
 * of 100k beads stays small and can be loaded from indexed store columns without parsing JSON.
 */
public record BeadState(
    String id,
    String status,
    int priority,
    String issueType,
    Instant createdAt,
    Instant deferUntil,
    boolean pinned,
    boolean ephemeral) {

  public BeadState {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(issueType, "issueType");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  public static BeadState of(Bead bead) {
    return new BeadState(
        bead.id(),
        bead.status(),
        bead.priority(),
        bead.issueType(),
        bead.createdAt(),
        bead.deferUntil(),
        bead.pinned(),
        bead.ephemeral());
  }

  public BeadState withStatus(String newStatus) {
    return new BeadState(
        id, newStatus, priority, issueType, createdAt, deferUntil, pinned, ephemeral);
  }
}
