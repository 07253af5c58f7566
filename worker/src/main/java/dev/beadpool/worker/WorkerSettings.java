package dev.beadpool.worker;

import dev.beadpool.messaging.BrokerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How a worker runs. Immutable, validated when built.
 *
 * @param command the agent, as an argument list (never a shell string)
 * @param timeout per bead; the agent's process tree is killed after it
 * @param infraExitCodes exit codes that mean the agent backend is broken, not the bead: they count
 *     for the circuit breaker and release the bead without spending an attempt
 * @param breakerOpenFor how long the circuit stays open before it probes again
 */
public record WorkerSettings(
    BrokerSettings broker,
    String id,
    int slots,
    List<String> command,
    Duration timeout,
    Duration heartbeat,
    Duration shutdownGrace,
    Path workDir,
    Path logRoot,
    Set<Integer> infraExitCodes,
    Duration breakerOpenFor,
    Duration claimTimeout) {

  public static final int DEFAULT_SLOTS = 2;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(60);
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_BREAKER_OPEN_FOR = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CLAIM_TIMEOUT = Duration.ofSeconds(10);
  public static final Path DEFAULT_LOG_ROOT = Path.of("logs", "run");

  public WorkerSettings {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(id, "id");
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1, was " + slots);
    }
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException("agent.command must list the program and its arguments");
    }
    command = List.copyOf(command);
    infraExitCodes = Set.copyOf(infraExitCodes);
    if (heartbeat.isZero() || heartbeat.isNegative() || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("heartbeat and timeout must be positive");
    }
  }

  public static WorkerSettings defaults(BrokerSettings broker, String id, List<String> command) {
    return new WorkerSettings(
        broker,
        id,
        DEFAULT_SLOTS,
        command,
        DEFAULT_TIMEOUT,
        DEFAULT_HEARTBEAT,
        DEFAULT_SHUTDOWN_GRACE,
        Path.of(""),
        DEFAULT_LOG_ROOT,
        Set.of(),
        DEFAULT_BREAKER_OPEN_FOR,
        DEFAULT_CLAIM_TIMEOUT);
  }

  public WorkerSettings withSlots(int n) {
    return new WorkerSettings(
        broker,
        id,
        n,
        command,
        timeout,
        heartbeat,
        shutdownGrace,
        workDir,
        logRoot,
        infraExitCodes,
        breakerOpenFor,
        claimTimeout);
  }

  public WorkerSettings withTimings(
      Duration newTimeout, Duration newHeartbeat, Duration newGrace, Duration newBreakerOpenFor) {
    return new WorkerSettings(
        broker,
        id,
        slots,
        command,
        newTimeout,
        newHeartbeat,
        newGrace,
        workDir,
        logRoot,
        infraExitCodes,
        newBreakerOpenFor,
        claimTimeout);
  }

  public WorkerSettings withDirs(Path newWorkDir, Path newLogRoot) {
    return new WorkerSettings(
        broker,
        id,
        slots,
        command,
        timeout,
        heartbeat,
        shutdownGrace,
        newWorkDir,
        newLogRoot,
        infraExitCodes,
        breakerOpenFor,
        claimTimeout);
  }

  public WorkerSettings withInfraExitCodes(Set<Integer> codes) {
    return new WorkerSettings(
        broker,
        id,
        slots,
        command,
        timeout,
        heartbeat,
        shutdownGrace,
        workDir,
        logRoot,
        codes,
        breakerOpenFor,
        claimTimeout);
  }
}
