package dev.beadpool.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How one kind of agent runs: what a worker starts for a bead routed to this profile, and what the
 * coordinator makes of the run.
 *
 * @param command the program and its arguments, never run through a shell; {@code {prompt}} in an
 *     argument becomes the prompt text, {@code {prompt_file}} the prompt file's path (each stays
 *     one argument)
 * @param env extra environment for the agent
 * @param inheritEnv the worker's environment variables the agent sees: null for all of them (but
 *     the broker password), else only these (and {@link #BASE_ENV})
 * @param timeout null for the worker's default
 * @param workspace {@code shared} (the working directory) or {@code worktree} (a git worktree per
 *     bead on branch {@code bead/<id>})
 * @param completion {@code exit-code} (exit 0 closes the bead) or {@code bd-close} (the agent
 *     closes its own bead with bd)
 * @param infraExitCodes exit codes that mean the backend is broken (circuit breaker, no attempt
 *     spent)
 * @param failurePatterns an output line matching any of these marks an exit-0 run failed
 * @param maxInFlight runs of this profile at once over the pool, 0 for no limit of its own
 * @param maxTurns turns an attempt may take (each handoff starts the next with a fresh agent); a
 *     handoff on the last turn fails the attempt
 * @param escalation per attempt: another profile, or extra arguments
 * @param usage how the worker reads the run's usage from the agent's output
 * @param limit how the provider's usage limit shows, and how long the pool pauses for it (never
 *     null: {@link UsageLimitSettings#NONE} when not configured)
 * @param fallback another profile that takes this one's beads while it is paused, or null
 */
public record AgentProfile(
    String name,
    List<String> command,
    Map<String, String> env,
    List<String> inheritEnv,
    Duration timeout,
    String workspace,
    String completion,
    Set<Integer> infraExitCodes,
    List<Pattern> failurePatterns,
    int maxInFlight,
    int maxTurns,
    List<Escalation> escalation,
    PromptTemplate prompt,
    UsageFormat usage,
    UsageLimitSettings limit,
    String fallback) {

  public static final String WORKSPACE_SHARED = "shared";
  public static final String WORKSPACE_WORKTREE = "worktree";
  public static final String COMPLETION_EXIT_CODE = "exit-code";
  public static final String COMPLETION_BD_CLOSE = "bd-close";
  public static final int DEFAULT_MAX_TURNS = 5;

  /** Passed to every agent even with an {@code inherit-env} list: a process needs them to run. */
  public static final Set<String> BASE_ENV =
      Set.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TERM", "TMPDIR", "TZ", "SHELL");

  /**
   * From attempt {@code attempt} on, run with {@code profile} instead, or add {@code extraArgs}.
   */
  public record Escalation(int attempt, String profile, List<String> extraArgs) {
    public Escalation {
      if (attempt < 2) {
        throw new IllegalArgumentException("escalation attempt must be 2 or more, was " + attempt);
      }
      extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
      if ((profile == null) == extraArgs.isEmpty()) {
        throw new IllegalArgumentException(
            "an escalation names either a profile or extra-args, not "
                + (profile == null ? "neither" : "both"));
      }
    }
  }

  public AgentProfile {
    Objects.requireNonNull(name, "name");
    if (command == null || command.isEmpty() || command.get(0).isBlank()) {
      throw new IllegalArgumentException("command must list the program and its arguments");
    }
    command = List.copyOf(command);
    env = env == null ? Map.of() : Map.copyOf(env);
    inheritEnv = inheritEnv == null ? null : List.copyOf(inheritEnv);
    workspace = workspace == null ? WORKSPACE_SHARED : workspace;
    if (!Set.of(WORKSPACE_SHARED, WORKSPACE_WORKTREE).contains(workspace)) {
      throw new IllegalArgumentException("workspace must be shared or worktree, was " + workspace);
    }
    completion = completion == null ? COMPLETION_EXIT_CODE : completion;
    if (!Set.of(COMPLETION_EXIT_CODE, COMPLETION_BD_CLOSE).contains(completion)) {
      throw new IllegalArgumentException(
          "completion must be exit-code or bd-close, was " + completion);
    }
    infraExitCodes = infraExitCodes == null ? Set.of() : Set.copyOf(infraExitCodes);
    failurePatterns = failurePatterns == null ? List.of() : List.copyOf(failurePatterns);
    if (maxInFlight < 0) {
      throw new IllegalArgumentException("max-in-flight must be 0 (no limit) or more");
    }
    if (maxTurns < 1) {
      throw new IllegalArgumentException("max-turns must be at least 1, was " + maxTurns);
    }
    escalation = escalation == null ? List.of() : List.copyOf(escalation);
    prompt = prompt == null ? new PromptTemplate(null, null) : prompt;
    usage = usage == null ? UsageFormat.DEFAULT : usage;
    limit = limit == null ? UsageLimitSettings.NONE : limit;
    if (fallback != null && (fallback.isBlank() || fallback.equals(name))) {
      throw new IllegalArgumentException(
          "fallback must name another profile, was '" + fallback + "'");
    }
  }

  /** A profile with the defaults for everything but its command. */
  public static AgentProfile of(String name, List<String> command) {
    return new AgentProfile(
        name,
        command,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        0,
        DEFAULT_MAX_TURNS,
        null,
        null,
        null,
        null,
        null);
  }

  /** This profile running {@code newCommand}; the rest as it is. */
  public AgentProfile withCommand(List<String> newCommand) {
    return new AgentProfile(
        name,
        newCommand,
        env,
        inheritEnv,
        timeout,
        workspace,
        completion,
        infraExitCodes,
        failurePatterns,
        maxInFlight,
        maxTurns,
        escalation,
        prompt,
        usage,
        limit,
        fallback);
  }

  /** This profile treating {@code codes} as infrastructure failures; the rest as it is. */
  public AgentProfile withInfraExitCodes(Set<Integer> codes) {
    return new AgentProfile(
        name,
        command,
        env,
        inheritEnv,
        timeout,
        workspace,
        completion,
        codes,
        failurePatterns,
        maxInFlight,
        maxTurns,
        escalation,
        prompt,
        usage,
        limit,
        fallback);
  }

  /** The arguments to run for an attempt: the command plus escalated extra arguments. */
  public List<String> commandFor(int attempt) {
    List<String> args = new java.util.ArrayList<>(command);
    for (Escalation e : escalation) {
      if (attempt >= e.attempt()) {
        args.addAll(e.extraArgs());
      }
    }
    return args;
  }

  /** The profile an attempt escalates to, or this one's name. */
  public String profileFor(int attempt) {
    String chosen = name;
    for (Escalation e : escalation) {
      if (attempt >= e.attempt() && e.profile() != null) {
        chosen = e.profile();
      }
    }
    return chosen;
  }
}
