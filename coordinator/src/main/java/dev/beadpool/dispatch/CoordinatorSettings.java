package dev.beadpool.dispatch;

import dev.beadpool.config.AgentConfig;
import dev.beadpool.config.BudgetConfig;
import dev.beadpool.config.Durations;
import dev.beadpool.messaging.BrokerSettings;
import java.nio.file.Path;
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
 * @param budgets spending caps at start ({@link BudgetConfig#NONE}: none)
 * @param configFile the {@code beadpool.yaml} read, watched for budget changes; null: none
 */
public record CoordinatorSettings(
    BrokerSettings broker,
    int maxInFlight,
    int maxAttempts,
    Duration lease,
    Duration leaseCheck,
    Backoff backoff,
    Set<String> humanLabels,
    AgentConfig agents,
    BudgetConfig budgets,
    Path configFile) {

  public static final int DEFAULT_MAX_IN_FLIGHT = 16;
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** {@link #DEFAULT_LEASE} as users write it ({@code --lease}). */
  public static final String DEFAULT_LEASE_TEXT = "30s";

  public static final Duration DEFAULT_LEASE = Durations.parse(DEFAULT_LEASE_TEXT);
  public static final Duration DEFAULT_LEASE_CHECK = Duration.ofSeconds(1);
  public static final Set<String> DEFAULT_HUMAN_LABELS = Set.of("approval", "failure");

  public CoordinatorSettings {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(backoff, "backoff");
    humanLabels = Set.copyOf(humanLabels);
    agents = agents == null ? AgentConfig.NONE : agents;
    budgets = budgets == null ? BudgetConfig.NONE : budgets;
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

  /** Settings with every default: {@link #builder(BrokerSettings)} with nothing changed. */
  public static CoordinatorSettings defaults(BrokerSettings broker) {
    return builder(broker).build();
  }

  /** A builder that starts from the defaults; change what differs with its setters. */
  public static Builder builder(BrokerSettings broker) {
    return new Builder(broker);
  }

  /** A builder that starts from these settings. */
  public Builder toBuilder() {
    return new Builder(broker)
        .maxInFlight(maxInFlight)
        .maxAttempts(maxAttempts)
        .lease(lease)
        .leaseCheck(leaseCheck)
        .backoff(backoff)
        .humanLabels(humanLabels)
        .agents(agents)
        .budgets(budgets)
        .configFile(configFile);
  }

  /**
   * How often expired leases are looked for under {@code lease}: a tenth of it, at least 100 ms and
   * at most {@link #DEFAULT_LEASE_CHECK}, so an expired lease is found well within its own length.
   */
  public static Duration leaseCheckFor(Duration lease) {
    return Duration.ofMillis(
        Math.max(100, Math.min(DEFAULT_LEASE_CHECK.toMillis(), lease.toMillis() / 10)));
  }

  /**
   * Builds {@link CoordinatorSettings}, one setter per component; what is not set keeps its
   * default. {@link #build()} goes through the record's constructor, which validates, so settings
   * that are built are valid.
   */
  public static final class Builder {
    private final BrokerSettings broker;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration lease = DEFAULT_LEASE;
    private Duration leaseCheck = DEFAULT_LEASE_CHECK;
    private Backoff backoff = Backoff.DEFAULT;
    private Set<String> humanLabels = DEFAULT_HUMAN_LABELS;
    private AgentConfig agents = AgentConfig.NONE;
    private BudgetConfig budgets = BudgetConfig.NONE;
    private Path configFile;

    private Builder(BrokerSettings broker) {
      this.broker = Objects.requireNonNull(broker, "broker");
    }

    public Builder maxInFlight(int maxInFlight) {
      this.maxInFlight = maxInFlight;
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder lease(Duration lease) {
      this.lease = lease;
      return this;
    }

    /** How often expired leases are looked for; see {@link CoordinatorSettings#leaseCheckFor}. */
    public Builder leaseCheck(Duration leaseCheck) {
      this.leaseCheck = leaseCheck;
      return this;
    }

    public Builder backoff(Backoff backoff) {
      this.backoff = backoff;
      return this;
    }

    public Builder humanLabels(Set<String> humanLabels) {
      this.humanLabels = humanLabels;
      return this;
    }

    public Builder agents(AgentConfig agents) {
      this.agents = agents;
      return this;
    }

    public Builder budgets(BudgetConfig budgets) {
      this.budgets = budgets;
      return this;
    }

    /** The configuration file to watch for budget changes (null: none). */
    public Builder configFile(Path configFile) {
      this.configFile = configFile;
      return this;
    }

    public CoordinatorSettings build() {
      return new CoordinatorSettings(
          broker,
          maxInFlight,
          maxAttempts,
          lease,
          leaseCheck,
          backoff,
          humanLabels,
          agents,
          budgets,
          configFile);
    }
  }
}
