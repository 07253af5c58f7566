package dev.beadpool.agent;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The worker's git credentials stay the worker's: with a {@code repository:} the worker pushes with
 * them, and the agent (running text written by agents and humans) does not receive them unless its
 * profile's {@code inherit-env} names the variable. A credential helper's files under {@code HOME}
 * are out of reach of this: see docs/code-flow.md.
 */
public final class GitCredentials {
  /** Variables that carry or reach git credentials: an ssh agent, askpass helpers, tokens. */
  public static final Set<String> VARIABLES =
      Set.of(
          "SSH_AUTH_SOCK",
          "SSH_AGENT_PID",
          "SSH_ASKPASS",
          "GIT_ASKPASS",
          "GIT_SSH",
          "GIT_SSH_COMMAND",
          "GIT_CONFIG_PARAMETERS",
          "GIT_CONFIG_COUNT",
          "GIT_CREDENTIALS",
          "GIT_TOKEN",
          "GH_TOKEN",
          "GH_ENTERPRISE_TOKEN",
          "GITHUB_TOKEN",
          "GITHUB_ENTERPRISE_TOKEN",
          "GITLAB_TOKEN",
          "CI_JOB_TOKEN",
          "BITBUCKET_TOKEN");

  /** {@code GIT_CONFIG_KEY_<n>} and {@code GIT_CONFIG_VALUE_<n>} can set an auth header. */
  private static final String CONFIG_PREFIX = "GIT_CONFIG_";

  private GitCredentials() {}

  /**
   * Removes the credential variables from an agent's environment, but those {@code asked} names.
   *
   * @param asked the profile's {@code inherit-env}, or null when it names none
   */
  public static void strip(Map<String, String> env, Collection<String> asked) {
    env.keySet()
        .removeIf(
            name ->
                (VARIABLES.contains(name) || name.startsWith(CONFIG_PREFIX))
                    && (asked == null || !asked.contains(name)));
  }
}
