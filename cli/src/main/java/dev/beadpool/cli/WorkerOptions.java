package dev.beadpool.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.beadpool.config.AgentConfig;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.worker.WorkerSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The worker's options; the agent command comes from beadpool.yaml, the env or a flag. */
final class WorkerOptions {
  static final String AGENT_ENV = "BEADPOOL_AGENT_COMMAND";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Option(
      names = "--id",
      defaultValue = "${env:BEADPOOL_WORKER_ID}",
      description = "Worker id (env BEADPOOL_WORKER_ID; default host-pid).")
  String id;

  @Option(
      names = "--slots",
      defaultValue = "${env:BEADPOOL_SLOTS:-" + WorkerSettings.DEFAULT_SLOTS + "}",
      description = "Beads run at once (env BEADPOOL_SLOTS; default ${DEFAULT-VALUE}).")
  int slots;

  @Option(
      names = "--agent-command",
      paramLabel = "JSON",
      description =
          "The agent as a JSON argument list, e.g. '[\"claude\",\"-p\"]' (env "
              + AGENT_ENV
              + "; default: agent.command in beadpool.yaml). Never run through a shell.")
  String agentCommand;

  @Option(
      names = "--profiles",
      split = ",",
      paramLabel = "NAME",
      defaultValue = "${env:BEADPOOL_PROFILES:-}",
      description =
          "Agent profiles this worker serves, e.g. planner,engineer (env BEADPOOL_PROFILES; default: every profile in beadpool.yaml, or the default agent). It only receives beads routed to them.")
  List<String> profiles;

  @Option(
      names = "--timeout",
      converter = Durations.class,
      defaultValue = "${env:BEADPOOL_TIMEOUT:-" + WorkerSettings.DEFAULT_TIMEOUT_TEXT + "}",
      description =
          "Per bead; the agent's process tree is killed after it (env BEADPOOL_TIMEOUT; default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--heartbeat",
      converter = Durations.class,
      defaultValue = "${env:BEADPOOL_HEARTBEAT:-" + WorkerSettings.DEFAULT_HEARTBEAT_TEXT + "}",
      description = "Heartbeat interval (env BEADPOOL_HEARTBEAT; default ${DEFAULT-VALUE}).")
  Duration heartbeat;

  @Option(
      names = "--breaker-open-for",
      converter = Durations.class,
      defaultValue =
          "${env:BEADPOOL_BREAKER_OPEN_FOR:-" + WorkerSettings.DEFAULT_BREAKER_OPEN_FOR_TEXT + "}",
      description =
          "How long a profile's agent circuit stays open, once its backend failed, before one run"
              + " probes it again (env BEADPOOL_BREAKER_OPEN_FOR; default ${DEFAULT-VALUE}).")
  Duration breakerOpenFor;

  @Option(
      names = "--claim-timeout",
      converter = Durations.class,
      defaultValue =
          "${env:BEADPOOL_CLAIM_TIMEOUT:-" + WorkerSettings.DEFAULT_CLAIM_TIMEOUT_TEXT + "}",
      description =
          "A claim the coordinator has not answered is asked again every tenth of this, and said"
              + " in the log after each whole of it; the bead is held meanwhile (env"
              + " BEADPOOL_CLAIM_TIMEOUT; default ${DEFAULT-VALUE}).")
  Duration claimTimeout;

  @Option(
      names = "--git-timeout",
      converter = Durations.class,
      defaultValue = "${env:BEADPOOL_GIT_TIMEOUT:-" + WorkerSettings.DEFAULT_GIT_TIMEOUT_TEXT + "}",
      description =
          "How long one git command of the worker's may take with a repository: in beadpool.yaml"
              + " (fetch, worktree, commit, push); git is killed after it and the run released"
              + " (env BEADPOOL_GIT_TIMEOUT; default ${DEFAULT-VALUE}).")
  Duration gitTimeout;

  @Option(
      names = "--grace",
      converter = Durations.class,
      defaultValue =
          "${env:BEADPOOL_SHUTDOWN_GRACE:-" + WorkerSettings.DEFAULT_SHUTDOWN_GRACE_TEXT + "}",
      description =
          "On SIGTERM, how long running agents may finish before they are released (env BEADPOOL_SHUTDOWN_GRACE; default ${DEFAULT-VALUE}).")
  Duration grace;

  @Option(
      names = "--infra-exit-codes",
      split = ",",
      defaultValue = "${env:BEADPOOL_INFRA_EXIT_CODES:-}",
      description =
          "Agent exit codes that mean the backend is broken: they open the circuit and spend no attempt (env BEADPOOL_INFRA_EXIT_CODES).")
  List<String> infraExitCodes;

  @Option(
      names = "--workdir",
      defaultValue = "${env:BEADPOOL_WORKDIR:-" + WorkerSettings.DEFAULT_WORK_DIR_TEXT + "}",
      description = "Where agents run (env BEADPOOL_WORKDIR; default the current directory).")
  Path workDir;

  @Option(
      names = "--logs",
      defaultValue = "${env:BEADPOOL_LOG_DIR:-" + WorkerSettings.DEFAULT_LOG_ROOT_TEXT + "}",
      description =
          "Run logs, one folder per run (env BEADPOOL_LOG_DIR; default ${DEFAULT-VALUE}).")
  Path logs;

  WorkerSettings settings(BrokerSettings broker, Path projectDir) {
    AgentConfig agents = ProjectFiles.agents(projectDir);
    List<String> command = explicitCommand();
    if (command != null) {
      agents = agents.withDefaultCommand(command);
    } else {
      command = agents.profile(AgentConfig.DEFAULT_PROFILE).map(p -> p.command()).orElse(List.of());
    }
    List<String> served =
        profiles == null
            ? List.of()
            : profiles.stream().map(String::trim).filter(p -> !p.isEmpty()).toList();
    Set<Integer> codes = new HashSet<>();
    for (String code : infraExitCodes == null ? List.<String>of() : infraExitCodes) {
      if (!code.isBlank()) {
        try {
          codes.add(Integer.parseInt(code.trim()));
        } catch (NumberFormatException e) {
          throw new CliUsageException("--infra-exit-codes: '" + code + "' is not a number");
        }
      }
    }
    try {
      return WorkerSettings.builder(broker, id == null || id.isBlank() ? defaultId() : id, command)
          .slots(slots)
          .timeout(timeout)
          .heartbeat(heartbeat)
          .shutdownGrace(grace)
          .claimTimeout(claimTimeout)
          .gitTimeout(gitTimeout)
          .breakerOpenFor(breakerOpenFor)
          .workDir(workDir)
          .logRoot(logs)
          .infraExitCodes(codes)
          .agents(agents)
          .profiles(served)
          .build()
          .validated();
    } catch (IllegalArgumentException e) {
      throw new CliUsageException(e.getMessage());
    }
  }

  /** The agent command given by flag or environment, or null. */
  List<String> explicitCommand() {
    String json = agentCommand != null ? agentCommand : System.getenv(AGENT_ENV);
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      List<String> list = YAML.readValue(json, new TypeReference<List<String>>() {});
      if (list.isEmpty()) {
        throw new CliUsageException("the agent command is an empty list");
      }
      return list;
    } catch (IOException e) {
      throw new CliUsageException(
          "the agent command must be a JSON list of arguments, like [\"sh\",\"agent.sh\"]: "
              + json);
    }
  }

  static String defaultId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "worker";
    }
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }
}
