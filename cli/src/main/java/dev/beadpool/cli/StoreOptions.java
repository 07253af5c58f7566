package dev.beadpool.cli;

import dev.beadpool.store.BeadStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/** {@code --db PATH}: the local store. */
final class StoreOptions {
  static final String DB_ENV = "BEADPOOL_DB";

  @Option(
      names = "--db",
      paramLabel = "PATH",
      description =
          "Bead store file (default: $BEADPOOL_DB, else .beadpool/beads.db in the current directory).")
  Path db;

  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "${env:BEADPOOL_SERVER}",
      description =
          "A running coordinator's API for writes (env BEADPOOL_SERVER; default: the one that owns the"
              + " store, found in .beadpool/coordinator.json). Its API token comes from"
              + " $BEADPOOL_API_TOKEN, else from that file if it names the same URL.")
  String server;

  /** The coordinator writes must go through: --server, or the one that owns the store. */
  java.util.Optional<CoordinatorClient> coordinator() {
    if (server != null && !server.isBlank()) {
      return java.util.Optional.of(CoordinatorClient.at(server, path()));
    }
    return CoordinatorClient.owning(path());
  }

  /**
   * The running coordinator, which the live commands need; if there is none, exit 2 saying how to
   * start one.
   */
  CoordinatorClient liveCoordinator(String command) {
    return coordinator()
        .orElseThrow(
            () ->
                new CoordinatorClient.Unavailable(
                    "no coordinator is running for "
                        + path()
                        + ": `beadpool "
                        + command
                        + "` needs one (start it with `beadpool coordinator` or `beadpool up`,"
                        + " or pass --server URL)"));
  }

  Path path() {
    if (db != null) {
      return db;
    }
    String env = System.getenv(DB_ENV);
    return env != null && !env.isBlank() ? Path.of(env) : BeadStore.DEFAULT_PATH;
  }

  /** Opens the store, creating it if needed (for commands that write). */
  BeadStore openOrCreate() {
    return BeadStore.open(path(), Clock.systemUTC());
  }

  /** Opens an existing store; a missing one is a clear error, not a new empty store. */
  BeadStore openExisting() {
    Path path = path();
    if (!Files.isRegularFile(path)) {
      throw new CliException(
          "no bead store at "
              + path
              + " (import an export with `beadpool import FILE`,"
              + " create a bead with `beadpool create`, or pass --db / --file)");
    }
    return BeadStore.open(path, Clock.systemUTC());
  }

  /** The project directory: the one holding {@code .beadpool/}. */
  Path projectDir() {
    return dev.beadpool.api.CoordinatorApi.projectDirOf(path());
  }
}
