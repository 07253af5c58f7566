package dev.beadpool.worker;

import dev.beadpool.config.AgentConfig;
import dev.beadpool.config.AgentProfile;
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
 * @param agents the profiles of beadpool.yaml and the workspace roots
 * @param profiles the profiles this worker serves: it only receives beads routed to them
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
    Duration claimTimeout,
    AgentConfig agents,
    List<String> profiles) {

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
    command = command == null ? List.of() : List.copyOf(command);
    infraExitCodes = Set.copyOf(infraExitCodes);
    agents = agents == null ? AgentConfig.NONE : agents;
    profiles =
        profiles == null || profiles.isEmpty()
            ? (agents.profiles().isEmpty()
                ? List.of(AgentConfig.DEFAULT_PROFILE)
                : List.copyOf(agents.profiles().keySet()))
            : List.copyOf(profiles);
    for (String p : profiles) {
      if (!p.equals(AgentConfig.DEFAULT_PROFILE) && agents.profile(p).isEmpty()) {
        throw new IllegalArgumentException(
            "profile "
                + p
                + " is not in beadpool.yaml (profiles: "
                + String.join(", ", agents.profiles().keySet())
                + ")");
      }
    }
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
        DEFAULT_CLAIM_TIMEOUT,
        AgentConfig.NONE,
        List.of());
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
        claimTimeout,
        agents,
        profiles);
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
        claimTimeout,
        agents,
        profiles);
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
        claimTimeout,
        agents,
        profiles);
  }

  public WorkerSettings withAgents(AgentConfig config, List<String> served) {
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
        infraExitCodes,
        breakerOpenFor,
        claimTimeout,
        config,
        served);
  }

  /**
   * Checks that every profile served has a command.
   *
   * @throws IllegalArgumentException saying where to set it
   */
  public WorkerSettings validated() {
    for (String p : profiles) {
      if (p.equals(AgentConfig.DEFAULT_PROFILE)
          && agents.profile(p).isEmpty()
          && (command.isEmpty() || command.get(0).isBlank())) {
        throw new IllegalArgumentException(
            "no agent command: set agent.command in beadpool.yaml (a list of arguments),"
                + " BEADPOOL_AGENT_COMMAND or --agent-command");
      }
    }
    return this;
  }

  /**
   * A profile this worker runs: from beadpool.yaml, or for {@code default} without one, the
   * worker's own command and timeout.
   */
  public AgentProfile profile(String name) {
    return agents
        .profile(name)
        .orElseGet(
            () ->
                new AgentProfile(
                    AgentConfig.DEFAULT_PROFILE,
                    command,
                    null,
                    null,
                    null,
                    null,
                    null,
                    infraExitCodes,
                    null,
                    0,
                    AgentProfile.DEFAULT_MAX_TURNS,
                    null,
                    null));
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
        claimTimeout,
        agents,
        profiles);
  }
}
