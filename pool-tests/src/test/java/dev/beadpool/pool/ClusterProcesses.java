package dev.beadpool.pool;

import static dev.beadpool.cli.JarProcesses.freePort;
import static dev.beadpool.cli.JarProcesses.jar;
import static dev.beadpool.cli.JarProcesses.javaBin;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the whole-pool tests stand on: beadpool's own processes (a broker, coordinators, workers)
 * started from the packaged jar in the test's folder, each logging to NAME.log there (kept under
 * target/cluster-logs after the test), and killed with everything they started afterwards.
 */
abstract class ClusterProcesses {
  @TempDir Path dir;
  final List<Process> processes = new ArrayList<>();

  String testName = "test";

  @org.junit.jupiter.api.BeforeEach
  void name(org.junit.jupiter.api.TestInfo info) {
    testName = info.getTestMethod().map(java.lang.reflect.Method::getName).orElse("test");
  }

  @AfterEach
  void killAll() throws IOException {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    // why: when this fails in CI, the processes' own logs say why
    Path keep = Path.of("target", "cluster-logs", testName);
    Files.createDirectories(keep);
    try (var logs = Files.list(dir)) {
      for (Path log :
          logs.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".txt"))
              .toList()) {
        Files.copy(
            log,
            keep.resolve(log.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  Process start(String name, String... args) throws IOException {
    return startJava(name, List.of(), args);
  }

  /** Starts beadpool in its own JVM with {@code jvmOptions} (-Xmx384m, say). */
  Process startJava(String name, List<String> jvmOptions, String... args) throws IOException {
    return startJava(name, jvmOptions, java.util.Map.of(), args);
  }

  /** Starts beadpool in its own JVM with {@code jvmOptions} and {@code env} added to its own. */
  Process startJava(
      String name, List<String> jvmOptions, java.util.Map<String, String> env, String... args)
      throws IOException {
    // why: processes killed here leave their temp files (the worker's bd script) behind; in the
    // test's folder they go with it
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    List<String> command = new ArrayList<>(List.of(javaBin(), "-Djava.io.tmpdir=" + tmp));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar().toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
    builder.environment().putAll(env);
    Process p = builder.start();
    processes.add(p);
    return p;
  }

  /** Writes the agent script; returns the workers' --agent-command for it. */
  String agentCommand(String script) throws IOException {
    Path agent = dir.resolve("agent.sh");
    Files.writeString(agent, script);
    return "[\"/bin/sh\",\"" + agent + "\",\"" + dir.resolve("ledger.txt") + "\"]";
  }

  /**
   * Starts `beadpool worker` ID in its own process, logging to ID.log and its runs to logs/ID;
   * {@code more} are further flags.
   */
  Process startWorker(String broker, String id, String agentCommand, String... more)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "worker",
                "--broker",
                broker,
                "--id",
                id,
                "--agent-command",
                agentCommand,
                "--heartbeat",
                "500ms",
                "--logs",
                dir.resolve("logs/" + id).toString()));
    args.addAll(List.of(more));
    return start(id, args.toArray(String[]::new));
  }

  /** Imports an export with the CLI into the test's store; returns the store. */
  Path importIntoStore(Path issues) throws Exception {
    Path db = dir.resolve(".beadpool/beads.db");
    assertThat(start("import", "import", "--db", db.toString(), issues.toString()).waitFor())
        .isZero();
    return db;
  }

  /** Starts `beadpool broker` in its own process; returns its URL. */
  String startBroker() throws IOException {
    startBroker(freePort());
    return brokerUrl;
  }

  /** The URL of the last broker started. */
  String brokerUrl;

  /** Starts `beadpool broker` on {@code port}, its data under broker/ (again after a crash). */
  Process startBroker(int port) throws IOException {
    brokerUrl = "tcp://127.0.0.1:" + port;
    return start(
        "broker",
        "broker",
        "--port",
        Integer.toString(port),
        "--data",
        dir.resolve("broker").toString());
  }

  List<String[]> ledger() throws IOException {
    Path ledger = dir.resolve("ledger.txt");
    return Files.exists(ledger)
        ? Files.readAllLines(ledger).stream()
            .map(l -> l.split(" "))
            .filter(a -> a.length == 4)
            .toList()
        : List.of();
  }
}
