package dev.beadpool.worker;

import dev.beadpool.agent.Git;
import dev.beadpool.config.AgentConfig;
import dev.beadpool.config.AgentProfile;
import dev.beadpool.config.Durations;
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
 * @param gitTimeout how long one git command of the worker's may take (fetch, worktree, commit,
 *     push); git and its helpers are killed after it
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
    List<String> profiles,
    Duration gitTimeout) {

  public static final int DEFAULT_SLOTS = 2;

  // why text: each default is written once, as users write it; the flags show it and read it
  public static final String DEFAULT_TIMEOUT_TEXT = "60m";
  public static final String DEFAULT_HEARTBEAT_TEXT = "5s";
  public static final String DEFAULT_SHUTDOWN_GRACE_TEXT = "30s";
  public static final String DEFAULT_BREAKER_OPEN_FOR_TEXT = "30s";
  public static final String DEFAULT_CLAIM_TIMEOUT_TEXT = "10s";
  public static final String DEFAULT_WORK_DIR_TEXT = ".";
  public static final String DEFAULT_LOG_ROOT_TEXT = "logs/run";

  public static final Duration DEFAULT_TIMEOUT = Durations.parse(DEFAULT_TIMEOUT_TEXT);
  public static final Duration DEFAULT_HEARTBEAT = Durations.parse(DEFAULT_HEARTBEAT_TEXT);
  public static final Duration DEFAULT_SHUTDOWN_GRACE =
      Durations.parse(DEFAULT_SHUTDOWN_GRACE_TEXT);
  public static final Duration DEFAULT_BREAKER_OPEN_FOR =
      Durations.parse(DEFAULT_BREAKER_OPEN_FOR_TEXT);
  public static final Duration DEFAULT_CLAIM_TIMEOUT = Durations.parse(DEFAULT_CLAIM_TIMEOUT_TEXT);
  public static final Path DEFAULT_WORK_DIR = Path.of(DEFAULT_WORK_DIR_TEXT);
  public static final Path DEFAULT_LOG_ROOT = Path.of(DEFAULT_LOG_ROOT_TEXT);
  public static final String DEFAULT_GIT_TIMEOUT_TEXT = Git.DEFAULT_TIMEOUT_TEXT;
  public static final Duration DEFAULT_GIT_TIMEOUT = Durations.parse(DEFAULT_GIT_TIMEOUT_TEXT);

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
    gitTimeout = gitTimeout == null ? DEFAULT_GIT_TIMEOUT : gitTimeout;
    if (gitTimeout.isZero() || gitTimeout.isNegative()) {
      throw new IllegalArgumentException("the git timeout must be positive, was " + gitTimeout);
    }
    if (heartbeat.isZero() || heartbeat.isNegative() || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("heartbeat and timeout must be positive");
    }
  }

  /**
   * Settings for a worker with the defaults; change what differs with the builder's setters.
   *
   * @param command the agent, as an argument list (never a shell string)
   */
  public static Builder builder(BrokerSettings broker, String id, List<String> command) {
    return new Builder(broker, id, command);
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

  /**
   * Builds {@link WorkerSettings}, one setter per component; what is not set keeps its default.
   * {@link #build()} goes through the record's constructor, which validates.
   */
  public static final class Builder {
    private final BrokerSettings broker;
    private final String id;
    private final List<String> command;
    private int slots = DEFAULT_SLOTS;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration heartbeat = DEFAULT_HEARTBEAT;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private Path workDir = DEFAULT_WORK_DIR;
    private Path logRoot = DEFAULT_LOG_ROOT;
    private Set<Integer> infraExitCodes = Set.of();
    private Duration breakerOpenFor = DEFAULT_BREAKER_OPEN_FOR;
    private Duration claimTimeout = DEFAULT_CLAIM_TIMEOUT;
    private AgentConfig agents = AgentConfig.NONE;
    private List<String> profiles = List.of();
    private Duration gitTimeout = DEFAULT_GIT_TIMEOUT;

    private Builder(BrokerSettings broker, String id, List<String> command) {
      this.broker = broker;
      this.id = id;
      this.command = command;
    }

    public Builder slots(int slots) {
      this.slots = slots;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder heartbeat(Duration heartbeat) {
      this.heartbeat = heartbeat;
      return this;
    }

    public Builder shutdownGrace(Duration shutdownGrace) {
      this.shutdownGrace = shutdownGrace;
      return this;
    }

    public Builder workDir(Path workDir) {
      this.workDir = workDir;
      return this;
    }

    public Builder logRoot(Path logRoot) {
      this.logRoot = logRoot;
      return this;
    }

    public Builder infraExitCodes(Set<Integer> infraExitCodes) {
      this.infraExitCodes = infraExitCodes;
      return this;
    }

    public Builder breakerOpenFor(Duration breakerOpenFor) {
      this.breakerOpenFor = breakerOpenFor;
      return this;
    }

    public Builder claimTimeout(Duration claimTimeout) {
      this.claimTimeout = claimTimeout;
      return this;
    }

    public Builder agents(AgentConfig agents) {
      this.agents = agents;
      return this;
    }

    /** The profiles served; none means every profile in {@code agents}, or {@code default}. */
    public Builder profiles(List<String> profiles) {
      this.profiles = profiles;
      return this;
    }

    public Builder gitTimeout(Duration gitTimeout) {
      this.gitTimeout = gitTimeout;
      return this;
    }

    public WorkerSettings build() {
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
          agents,
          profiles,
          gitTimeout);
    }
  }
}
