package dev.beadpool.dispatch;

import java.util.List;

/**
 * A worker the coordinator heard from within the last lease, for {@code beadpool status}.
 *
 * @param profiles the profiles it serves; null when it has only been heard from through a claim or
 *     a heartbeat, not its own presence yet
 * @param slots how many agents it runs at once (0 when not known yet)
 * @param busy how many ran at its last presence
 * @param openCircuits profiles whose circuit breaker is open on it: it takes none of their beads
 * @param lastSeen when it was last heard from (RFC 3339)
 */
public record WorkerInfo(
    String id,
    List<String> profiles,
    int slots,
    int busy,
    List<String> openCircuits,
    String lastSeen) {

  public WorkerInfo {
    profiles = profiles == null ? null : List.copyOf(profiles);
    openCircuits = openCircuits == null ? List.of() : List.copyOf(openCircuits);
  }

  /** Whether beads of this profile can reach it now (unknown profiles: maybe). */
  public boolean takes(String profile) {
    return (profiles == null || profiles.contains(profile)) && !openCircuits.contains(profile);
  }
}
