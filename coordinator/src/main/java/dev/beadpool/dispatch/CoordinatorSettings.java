package dev.beadpool.dispatch;

import dev.beadpool.config.AgentConfig;
import dev.beadpool.messaging.BrokerSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How the coordinator runs. Immutable, validated when built.
 *
 * @param maxInFlight beads dispatched or running at once: the pool's WIP limit
 * @param maxAttempts failed attempts before a failure bead blocks the bead
 * @param lease how long a claim lasts without a heartbeat
 * @param leaseCheck how often expired leases are looked for
 * @param humanLabels beads with any of these labels are never given to an agent
 * @param agents profiles, routing, per-profile limits and turns ({@link AgentConfig#NONE}: all to
 *     the default profile)
 */
public record CoordinatorSettings(
    BrokerSettings broker,
    int maxInFlight,
    int maxAttempts,
    Duration lease,
    Duration leaseCheck,
    Backoff backoff,
    Set<String> humanLabels,
    AgentConfig agents) {

  public static final int DEFAULT_MAX_IN_FLIGHT = 16;
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_LEASE_CHECK = Duration.ofSeconds(1);
  public static final Set<String> DEFAULT_HUMAN_LABELS = Set.of("approval", "failure");

  public CoordinatorSettings {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(backoff, "backoff");
    humanLabels = Set.copyOf(humanLabels);
    agents = agents == null ? AgentConfig.NONE : agents;
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("max-in-flight must be at least 1, was " + maxInFlight);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max-attempts must be at least 1, was " + maxAttempts);
    }
    if (lease.compareTo(Duration.ofMillis(100)) < 0
        || leaseCheck.isZero()
        || leaseCheck.isNegative()) {
      throw new IllegalArgumentException("lease must be at least 100 ms and lease-check positive");
    }
  }

  public static CoordinatorSettings defaults(BrokerSettings broker) {
    return new CoordinatorSettings(
        broker,
        DEFAULT_MAX_IN_FLIGHT,
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_LEASE,
        DEFAULT_LEASE_CHECK,
        Backoff.DEFAULT,
        DEFAULT_HUMAN_LABELS,
        AgentConfig.NONE);
  }

  public CoordinatorSettings withLease(Duration newLease, Duration newCheck) {
    return new CoordinatorSettings(
        broker, maxInFlight, maxAttempts, newLease, newCheck, backoff, humanLabels, agents);
  }

  public CoordinatorSettings withBackoff(Backoff newBackoff) {
    return new CoordinatorSettings(
        broker, maxInFlight, maxAttempts, lease, leaseCheck, newBackoff, humanLabels, agents);
  }

  public CoordinatorSettings withMaxInFlight(int n) {
    return new CoordinatorSettings(
        broker, n, maxAttempts, lease, leaseCheck, backoff, humanLabels, agents);
  }

  public CoordinatorSettings withAgents(AgentConfig config) {
    return new CoordinatorSettings(
        broker, maxInFlight, maxAttempts, lease, leaseCheck, backoff, humanLabels, config);
  }

  public CoordinatorSettings withMaxAttempts(int n) {
    return new CoordinatorSettings(
        broker, maxInFlight, n, lease, leaseCheck, backoff, humanLabels, agents);
  }
}
