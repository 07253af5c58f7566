package dev.beadpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beadpool.cli.JarProcesses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose.yml run as a user runs it, against a real Docker engine: {@code up --build --scale
 * worker=3}, a graph whose agents write a file and commit, more workers, a worker stopped, the
 * broker restarted, the CLI on the host, {@code down -v}. Each step checks what the Compose issue
 * found broken: agents that could not write, workers sharing a working tree, a pool dead after a
 * broker restart while its logs filled the disk, an API the host could not reach, exit 143.
 *
 * <p>Needs {@code docker-compose} (v1) or {@code docker compose} (v2) and an engine; skipped
 * without. {@code .ci/run} runs it on its own, after starting an engine if it can.
 */
@Tag("container")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ComposeSmokeIT {
  /** Beads of the first graph; each agent takes {@link #AGENT_SECONDS}. */
  static final int FIRST_BEADS = 12;

  /**
   * Beads imported after scaling to 5: slow ones ({@link #SLOW_SECONDS}), so a worker stopped with
   * a shorter grace has one to release.
   */
  static final int SECOND_BEADS = 6;

  static final int SLOW_SECONDS = 15;

  /** Beads imported before the broker restart. */
  static final int THIRD_BEADS = 40;

  static final int AGENT_SECONDS = 4;

  /** The code flow's remote in the containers (docker-compose.yml's BEADPOOL_REPOSITORY_URL). */
  static final String REMOTE = "/srv/git/project.git";

  /** The issue's bound: the pool works again this soon after the broker is back. */
  static final Duration RESUME_BOUND = Duration.ofSeconds(10);

  /** A container's whole log may be no larger (the broken pool wrote ~50 MB a second). */
  static final long LOG_BOUND_BYTES = 3L * 1024 * 1024;

  static final Duration BUILD_AND_START = Duration.ofMinutes(12);
  static final Duration STEP = Duration.ofMinutes(2);
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  final String project = "bpsmoke" + HexFormat.of().formatHex(random(4));
  final Map<String, String> env = new LinkedHashMap<>();
  List<String> compose;
  Path repo;
  int apiPort;
  int brokerPort;
  String uid;
  boolean up;

  @AfterEach
  void down() throws Exception {
    Awaitility.reset();
    if (compose == null || !up) {
      return;
    }
    // why: when this fails in CI, the containers' own logs say why
    Path keep = Files.createDirectories(Path.of("target", "compose-smoke"));
    Files.writeString(keep.resolve(project + ".log"), composeRun("logs", "--no-color").output());
    composeRun("down", "-v", "--remove-orphans", "--timeout", "20");
  }

  @Test
  void theClusterRunsScalesSurvivesABrokerRestartAndStopsCleanly() throws Exception {
    compose = composeCommand();
    Assumptions.assumeTrue(
        compose != null, "no Docker engine with docker-compose / docker compose");
    // why: some conditions start a JVM in a container; polling them every 100 ms would load the
    // machine whose pool the test times
    Awaitility.setDefaultPollInterval(Duration.ofSeconds(1));
    Instant started = Instant.now();
    givenARepositoryWhoseAgentsWriteAndCommit();

    // up --build --scale worker=3, the documented command; healthchecks gate the start
    up = true;
    Result upResult =
        run(BUILD_AND_START, composeArgs("up", "-d", "--build", "--scale", "worker=3"));
    assertThat(upResult.exit()).as(upResult.output()).isZero();
    Duration buildAndStart = Duration.between(started, Instant.now());
    assertThat(containers("worker")).hasSize(3);
    await("3 workers in the coordinator's status, seen from the host")
        .atMost(STEP)
        .until(() -> liveWorkers().size() == 3);
    for (String service : List.of("broker", "coordinator", "worker")) {
      for (String id : containers(service)) {
        // why await: a worker joins the pool (its presence) before Docker has run its first
        // healthcheck; healthy must follow within the step, not at the same instant
        await(service + " " + id + " healthy")
            .atMost(STEP)
            .until(() -> inspect(id, "{{.State.Health.Status}}").equals("healthy"));
        assertThat(inspect(id, "{{.HostConfig.LogConfig.Config}}"))
            .as(service + "'s log limits")
            .contains("max-size:10m", "max-file:3");
        assertThat(inspect(id, "{{.HostConfig.RestartPolicy.Name}}")).isEqualTo("unless-stopped");
      }
    }

    // the first graph: agents in worktrees of their workers' own clones write a file and commit;
    // the workers push them to the remote on the git volume as bead/<id> branches, owned by the
    // repository's owner
    importGraph("first.jsonl");
    await("the first graph done")
        .atMost(STEP)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> beadBranches().size() == FIRST_BEADS);
    Map<String, String> doneBy = doneBy();
    assertThat(doneBy).hasSize(FIRST_BEADS);
    assertThat(new TreeSet<>(doneBy.values())).as("workers that ran beads").hasSizeGreaterThan(1);
    assertThat(new TreeSet<>(workspacesUsed(doneBy.keySet())))
        .as("each worker's agents work in its own clone")
        .hasSameSizeAs(new TreeSet<>(doneBy.values()));
    Result remoteOwner =
        composeRun("exec", "-T", "coordinator", "stat", "-c", "%u", REMOTE + "/refs/heads/bead");
    assertThat(remoteOwner.output().strip()).isEqualTo(uid);
    Result mounted =
        run(
            STEP,
            List.of(
                "git",
                "-c",
                "safe.directory=*",
                "-C",
                repo.toString(),
                "for-each-ref",
                "refs/heads/bead/"));
    assertThat(mounted.exit()).as(mounted.output()).isZero();
    assertThat(mounted.output())
        .as("workers push to the remote, never into the mounted repository")
        .isBlank();
    assertThat(ownerOf(repo.resolve(".beadpool"), "beads.db")).isEqualTo(uid);

    // scale to 5 and load more work
    Result scaled =
        run(STEP, composeArgs("up", "-d", "--no-recreate", "--scale", "worker=5", "worker"));
    assertThat(scaled.exit()).as(scaled.output()).isZero();
    await("5 workers").atMost(STEP).until(() -> liveWorkers().size() == 5);
    importGraph("second.jsonl");

    // stop a worker that is running a bead: the bead is released, no attempt spent; exit 0
    AtomicReference<JsonNode> running = new AtomicReference<>();
    await("a slow bead running")
        .atMost(STEP)
        .until(
            () -> {
              running.set(latestRunning("smoke-b").orElse(null));
              return running.get() != null;
            });
    String bead = running.get().get("beadId").asText();
    String worker = running.get().get("worker").asText();
    String container = containerOfWorker(worker);
    Result stop = run(STEP, List.of("docker", "stop", "-t", "30", container));
    assertThat(stop.exit()).as(stop.output()).isZero();
    assertThat(inspect(container, "{{.State.ExitCode}}"))
        .as("a clean stop's exit code")
        .isEqualTo("0");
    await(bead + " released by the stopped worker")
        .atMost(STEP)
        .until(
            () -> {
              JsonNode mine = find(runsOf(bead), r -> r.get("worker").asText().equals(worker));
              return mine != null && mine.get("state").asText().equals("RELEASED");
            });
    JsonNode released = find(runsOf(bead), r -> r.get("worker").asText().equals(worker));
    await(bead + " runs again on another worker, same attempt")
        .atMost(STEP)
        .until(
            () ->
                find(runsOf(bead), r -> !r.get("worker").asText().equals(worker)) != null
                    && find(runsOf(bead), r -> !r.get("worker").asText().equals(worker))
                            .get("attempt")
                            .asInt()
                        == released.get("attempt").asInt());

    // restart the broker while beads are running: the pool resumes by itself, logs stay small
    importGraph("third.jsonl");
    await("beads running before the broker restart")
        .atMost(STEP)
        .until(() -> latestRunning("smoke-c").isPresent());
    String broker = containers("broker").get(0);
    Map<String, Long> logsBefore = logSizes();
    Result restart = run(STEP, List.of("docker", "restart", "-t", "10", broker));
    assertThat(restart.exit()).as(restart.output()).isZero();
    Instant back = brokerLiveAt(broker);
    await("a run starts after the broker is back")
        .atMost(STEP)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> runningSince(back));
    // why truncated: the store keeps times to the second
    Duration resumed =
        Duration.between(back.truncatedTo(ChronoUnit.SECONDS), firstStartAfter(back));
    System.out.println("compose smoke: the pool resumed " + resumed + " after the broker was live");
    assertThat(resumed).isLessThanOrEqualTo(RESUME_BOUND);
    await("the second graph done")
        .atMost(STEP)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> beadBranches().size() == FIRST_BEADS + SECOND_BEADS + THIRD_BEADS);
    Map<String, Long> logsAfter = logSizes();
    System.out.println("compose smoke: log bytes before " + logsBefore + ", after " + logsAfter);
    assertThat(logsAfter.values()).allSatisfy(size -> assertThat(size).isLessThan(LOG_BOUND_BYTES));
    for (String id : containers("worker")) {
      if (!id.equals(container)) {
        await("worker " + id + " healthy again")
            .atMost(STEP)
            .until(() -> inspect(id, "{{.State.Health.Status}}").equals("healthy"));
      }
    }

    // from the host: status with the token shows the workers; without it the API refuses
    Result status = beadpool(true, "status", "--server", "http://127.0.0.1:" + apiPort);
    assertThat(status.exit()).as(status.output()).isZero();
    for (String id : containers("worker")) {
      if (!id.equals(container)) {
        assertThat(status.output()).contains(id.substring(0, 12));
      }
    }
    Result refused = beadpool(false, "status", "--server", "http://127.0.0.1:" + apiPort);
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.output()).contains("BEADPOOL_API_TOKEN");

    // a clean stop of everything: the coordinator and the workers exit 0
    Result stopAll = composeRun("stop");
    assertThat(stopAll.exit()).as(stopAll.output()).isZero();
    for (String service : List.of("coordinator", "worker")) {
      for (String id : containers(service)) {
        assertThat(inspect(id, "{{.State.ExitCode}}")).as(service + " " + id).isEqualTo("0");
      }
    }
    System.out.println(
        "compose smoke: build and start "
            + buildAndStart
            + ", whole test "
            + Duration.between(started, Instant.now()));
  }

  // ---- the repository ------------------------------------------------------------------------

  void givenARepositoryWhoseAgentsWriteAndCommit() throws Exception {
    repo = Files.createDirectories(dir.resolve("repo"));
    Files.writeString(
        repo.resolve("beadpool.yaml"),
        """
        issue-prefix: smoke
        agent:
          command: [/bin/sh, agent.sh]
          workspace: worktree
        """);
    // why a commit of its own: agents that commit are what the uid and safe.directory must allow
    Files.writeString(
        repo.resolve("agent.sh"),
        """
        #!/bin/sh
        set -e
        case "$BEAD_TITLE" in
          *slow*) sleep %d ;;
          *) sleep %d ;;
        esac
        mkdir -p done
        echo "$BEADPOOL_WORKER $(git rev-parse --show-toplevel)" > "done/$BEAD_ID.txt"
        git add done
        git commit -q -m "$BEAD_ID: done"
        """
            .formatted(SLOW_SECONDS, AGENT_SECONDS));
    Files.writeString(repo.resolve(".gitignore"), ".beadpool/\n");
    Files.writeString(repo.resolve("first.jsonl"), graph("a", "write", FIRST_BEADS));
    Files.writeString(repo.resolve("second.jsonl"), graph("b", "slow", SECOND_BEADS));
    Files.writeString(repo.resolve("third.jsonl"), graph("c", "write", THIRD_BEADS));
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git(
        "-c",
        "user.name=smoke",
        "-c",
        "user.email=smoke@example.com",
        "commit",
        "-q",
        "-m",
        "init");
    uid = run(STEP, List.of("id", "-u")).output().strip();
    String gid = run(STEP, List.of("id", "-g")).output().strip();
    if (uid.equals("0")) {
      // why: as root everything may write everywhere; the repository of a user who is not root
      // is what the containers must be able to work in
      uid = "4242";
      gid = "4242";
      assertThat(run(STEP, List.of("chown", "-R", "4242:4242", dir.toString())).exit()).isZero();
    }
    apiPort = JarProcesses.freePort();
    brokerPort = JarProcesses.freePort();
    env.put("COMPOSE_PROJECT_NAME", project);
    env.put("BEADPOOL_BROKER_ADMIN_PASSWORD", secret());
    env.put("BEADPOOL_COORDINATOR_PASSWORD", secret());
    env.put("BEADPOOL_WORKER_PASSWORD", secret());
    env.put("BEADPOOL_API_TOKEN", secret());
    env.put("BEADPOOL_HTTP_PORT", Integer.toString(apiPort));
    env.put("BEADPOOL_HOST_BROKER_PORT", Integer.toString(brokerPort));
    env.put("BEADPOOL_HOST_CONSOLE_PORT", Integer.toString(JarProcesses.freePort()));
    env.put("BEADPOOL_REPO", repo.toString());
    env.put("BEADPOOL_UID", uid);
    env.put("BEADPOOL_GID", gid);
    env.put("BEADPOOL_AGENT_COMMAND", "");
    env.put("BEADPOOL_SHUTDOWN_GRACE", "1s");
    env.put("BEADPOOL_HEARTBEAT", "1s");
    env.put("BEADPOOL_IMAGE", "beadpool:smoke");
  }

  static String graph(String prefix, String title, int n) {
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      lines.append(
          """
          {"id":"smoke-%s%d","title":"%s %s%d","status":"open","priority":2,\
          "issue_type":"task","created_at":"2026-11-29T08:00:00Z",\
          "updated_at":"2026-11-29T08:00:00Z"}
          """
              .formatted(prefix, i, title, prefix, i));
    }
    return lines.toString();
  }

  void importGraph(String file) throws Exception {
    Result imported =
        composeRun(
            "exec",
            "-T",
            "coordinator",
            "java",
            "-jar",
            "/opt/beadpool/beadpool.jar",
            "import",
            "/repo/" + file);
    assertThat(imported.exit()).as(imported.output()).isZero();
  }

  void git(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-c", "safe.directory=*", "-C"));
    command.add(repo.toString());
    command.addAll(List.of(args));
    Result r = run(STEP, command);
    assertThat(r.exit()).as(r.output()).isZero();
  }

  /** git on the code flow's remote: the bare repository on the `git` volume. */
  String gitOut(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("exec", "-T", "coordinator", "git", "-C", REMOTE));
    command.addAll(List.of(args));
    Result r = composeRun(command.toArray(String[]::new));
    assertThat(r.exit()).as(r.output()).isZero();
    return r.output();
  }

  List<String> beadBranches() throws Exception {
    return gitOut("for-each-ref", "--format=%(refname:short)", "refs/heads/bead/")
        .lines()
        .filter(l -> l.startsWith("bead/"))
        .toList();
  }

  /** Bead id to the worker that wrote its file, from the commits on the bead branches. */
  Map<String, String> doneBy() throws Exception {
    Map<String, String> by = new HashMap<>();
    for (String branch : beadBranches()) {
      String id = branch.substring("bead/".length());
      String line = gitOut("show", branch + ":done/" + id + ".txt").strip();
      by.put(id, line.split(" ")[0]);
    }
    return by;
  }

  /** The clones the beads' worktrees were made in (the second word of each done file). */
  List<String> workspacesUsed(Set<String> beads) throws Exception {
    List<String> used = new ArrayList<>();
    for (String id : beads) {
      String top = gitOut("show", "bead/" + id + ":done/" + id + ".txt").strip().split(" ")[1];
      assertThat(top).startsWith("/workspaces/");
      used.add(top.substring(0, top.indexOf("/.beadpool/")));
    }
    return used;
  }

  String ownerOf(Path folder, String child) throws Exception {
    return run(STEP, List.of("stat", "-c", "%u", folder.resolve(child).toString()))
        .output()
        .strip();
  }

  // ---- the pool, seen from the host and through the coordinator -----------------------------

  Set<String> liveWorkers() throws Exception {
    JsonNode status = apiStatus();
    if (status == null) {
      return Set.of();
    }
    Set<String> ids = new TreeSet<>();
    status.get("workers").forEach(w -> ids.add(w.get("id").asText()));
    return ids;
  }

  /** The run of a bead whose id starts with {@code prefix} that started last, if one is running. */
  java.util.Optional<JsonNode> latestRunning(String prefix) throws Exception {
    JsonNode status = apiStatus();
    if (status == null) {
      return java.util.Optional.empty();
    }
    JsonNode latest = null;
    for (JsonNode run : status.get("runs")) {
      if (run.get("state").asText().equals("RUNNING")
          && run.get("beadId").asText().startsWith(prefix)
          && (latest == null
              || run.get("startedAt").asText().compareTo(latest.get("startedAt").asText()) > 0)) {
        latest = run;
      }
    }
    return java.util.Optional.ofNullable(latest);
  }

  /** Whether a run that started after {@code t} is in flight. */
  boolean runningSince(Instant t) throws Exception {
    JsonNode status = apiStatus();
    if (status == null) {
      return false;
    }
    for (JsonNode run : status.get("runs")) {
      JsonNode startedAt = run.get("startedAt");
      if (startedAt != null
          && !startedAt.isNull()
          && !Instant.parse(startedAt.asText()).isBefore(t.truncatedTo(ChronoUnit.SECONDS))) {
        return true;
      }
    }
    return false;
  }

  /**
   * GET /api/status over the published port, as the CLI sends it, or null if it does not answer.
   * Polled from here rather than by starting a CLI JVM each time, which on a busy machine would
   * slow the very pool the test times.
   */
  JsonNode apiStatus() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/status"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + env.get("BEADPOOL_API_TOKEN"))
            .GET()
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    } catch (IOException notAnswering) {
      return null;
    }
  }

  /** A bead's runs, read from the store by the CLI inside the coordinator's container. */
  JsonNode runsOf(String bead) throws Exception {
    Result runs =
        composeRun(
            "exec",
            "-T",
            "coordinator",
            "java",
            "-jar",
            "/opt/beadpool/beadpool.jar",
            "runs",
            "--json",
            bead);
    assertThat(runs.exit()).as(runs.output()).isZero();
    return json(runs.output());
  }

  /** When the first run of the third graph that started after {@code t} started, or null. */
  Instant firstStartAfter(Instant t) throws Exception {
    Instant first = null;
    for (int i = 1; i <= THIRD_BEADS; i++) {
      for (JsonNode run : runsOf("smoke-c" + i)) {
        JsonNode startedAt = run.get("startedAt");
        if (startedAt != null && !startedAt.isNull()) {
          Instant s = Instant.parse(startedAt.asText());
          if (!s.isBefore(t.truncatedTo(ChronoUnit.SECONDS))
              && (first == null || s.isBefore(first))) {
            first = s;
          }
        }
      }
    }
    return first;
  }

  static JsonNode find(JsonNode array, java.util.function.Predicate<JsonNode> test) {
    for (JsonNode n : array) {
      if (test.test(n)) {
        return n;
      }
    }
    return null;
  }

  static JsonNode json(String output) throws IOException {
    // why from the first bracket: the JVM may print a warning line first
    int start = output.indexOf('{');
    int array = output.indexOf('[');
    if (array >= 0 && (start < 0 || array < start)) {
      start = array;
    }
    return JSON.readTree(output.substring(Math.max(start, 0)));
  }

  /** The beadpool CLI on the host, as a user runs it; with or without the API token. */
  Result beadpool(boolean withToken, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                JarProcesses.javaBin(), "-jar", JarProcesses.jar().toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Map<String, String> variables = new HashMap<>();
    if (withToken) {
      variables.put("BEADPOOL_API_TOKEN", env.get("BEADPOOL_API_TOKEN"));
    }
    return run(STEP, command, variables);
  }

  // ---- Docker -------------------------------------------------------------------------------

  /** The time the broker said it is live again after {@code docker restart}. */
  Instant brokerLiveAt(String broker) throws Exception {
    AtomicReference<Instant> live = new AtomicReference<>();
    await("the broker live again")
        .atMost(STEP)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              List<Instant> times =
                  run(STEP, List.of("docker", "logs", "-t", broker))
                      .output()
                      .lines()
                      .filter(l -> l.contains("AMQ221007"))
                      .map(l -> Instant.parse(l.substring(0, l.indexOf(' '))))
                      .toList();
              // why the second: the first is the start before the restart
              if (times.size() >= 2) {
                live.set(times.get(times.size() - 1));
                return true;
              }
              return false;
            });
    return live.get();
  }

  Map<String, Long> logSizes() throws Exception {
    Map<String, Long> sizes = new LinkedHashMap<>();
    for (String service : List.of("broker", "coordinator", "worker")) {
      for (String id : containers(service)) {
        Result logs = run(STEP, List.of("docker", "logs", id));
        sizes.put(
            service + "-" + id.substring(0, 6),
            (long) logs.output().getBytes(StandardCharsets.UTF_8).length);
      }
    }
    return sizes;
  }

  String containerOfWorker(String worker) throws Exception {
    // why: a worker's id is its container's hostname (the short container id), a dash, its pid
    String host = worker.substring(0, worker.lastIndexOf('-'));
    for (String id : containers("worker")) {
      if (id.startsWith(host)) {
        return id;
      }
    }
    throw new AssertionError("no worker container for " + worker + " in " + containers("worker"));
  }

  List<String> containers(String service) throws Exception {
    Result ps = composeRun("ps", "-q", service);
    return ps.output().lines().map(String::strip).filter(l -> l.matches("[0-9a-f]{12,}")).toList();
  }

  String inspect(String container, String format) throws Exception {
    return run(STEP, List.of("docker", "inspect", "-f", format, container)).output().strip();
  }

  List<String> composeArgs(String... args) {
    List<String> command = new ArrayList<>(compose);
    command.addAll(
        List.of(
            "-f",
            Path.of("..").resolve("docker-compose.yml").toAbsolutePath().normalize().toString(),
            "-p",
            project));
    command.addAll(List.of(args));
    return command;
  }

  Result composeRun(String... args) throws Exception {
    return run(STEP, composeArgs(args));
  }

  /** docker compose (v2) if there, else docker-compose (v1); null if neither or no engine. */
  static List<String> composeCommand() throws Exception {
    if (tryRun(List.of("docker", "info")) != 0) {
      return null;
    }
    if (tryRun(List.of("docker", "compose", "version")) == 0) {
      return List.of("docker", "compose");
    }
    if (tryRun(List.of("docker-compose", "version")) == 0) {
      return List.of("docker-compose");
    }
    return null;
  }

  static int tryRun(List<String> command) throws Exception {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException notInstalled) {
      return -1;
    }
  }

  record Result(int exit, String output) {}

  /** Runs a command with the test's Compose environment (the passwords, ports, repository). */
  Result run(Duration bound, List<String> command) throws Exception {
    return run(bound, command, env);
  }

  /**
   * Runs a command with {@code variables} and no other BEADPOOL_ variable, its output and errors
   * together; fails if it outlives {@code bound}.
   */
  Result run(Duration bound, List<String> command, Map<String, String> variables) throws Exception {
    Path out = Files.createTempFile(dir, "cmd", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("BEADPOOL_"));
    builder.environment().putAll(variables);
    Process p = builder.start();
    if (!p.waitFor(bound.toSeconds(), TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(
          String.join(" ", command)
              + " still running after "
              + bound
              + ":\n"
              + Files.readString(out));
    }
    String output = Files.readString(out);
    Files.delete(out);
    return new Result(p.exitValue(), output);
  }

  static String secret() {
    return HexFormat.of().formatHex(random(24));
  }

  static byte[] random(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }
}
