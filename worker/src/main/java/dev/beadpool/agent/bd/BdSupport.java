package dev.beadpool.agent.bd;

import dev.beadpool.protocol.BdOperation;
import dev.beadpool.protocol.DispatchMessage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets up the worker's {@code bd} for one run and reads back what the agent did with it.
 *
 * <p>{@link #prepare} writes, under {@code runDir/bd/}: {@code context.json} (the bead and the
 * beads around it) and an empty {@code ops.jsonl}; its {@code binDir} holds {@code bd}, a shell
 * script that starts {@link BdShim} on this JVM, written once per JVM. The worker puts {@code
 * binDir} first on the agent's {@code PATH} and adds {@link Prepared#environment()}; after the
 * agent, {@link #readOperations} gives the operations to send with the run's result.
 */
public final class BdSupport {
  /** Path of {@code context.json}. */
  public static final String CONTEXT_ENV = "BEADPOOL_BD_CONTEXT";

  /** Path of {@code ops.jsonl}. */
  public static final String OPS_ENV = "BEADPOOL_BD_OPS";

  /** Who the changes are made by; overrides the context's {@code actor}. */
  public static final String ACTOR_ENV = "BEADPOOL_BD_ACTOR";

  /** JVM flags for a command that should answer in a fraction of a second. */
  static final List<String> JVM_FLAGS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData");

  private BdSupport() {}

  /**
   * Writes {@code runDir/bd/context.json} and creates an empty {@code runDir/bd/ops.jsonl}; the
   * {@code bd} script is this JVM's ({@link #sharedBin}).
   *
   * @param actor who the agent's changes are attributed to (created_by, comment author)
   */
  public static Prepared prepare(Path runDir, DispatchMessage dispatch, String actor)
      throws IOException {
    Path dir = Files.createDirectories(runDir.toAbsolutePath().resolve("bd"));
    Path context = dir.resolve("context.json");
    BdContext.of(dispatch, actor).write(context);
    Path ops = dir.resolve("ops.jsonl");
    Files.write(ops, new byte[0]);
    return new Prepared(sharedBin(), context, ops, actor);
  }

  /** The directory of the {@code bd} script, shared by every run of this JVM. */
  private static Path sharedBin;

  /**
   * The directory holding the {@code bd} script: the same for every run of this JVM, since the
   * script names only this JVM's java and class path (a run's files come in through its
   * environment). Made on first use in a private temporary directory; made again if something
   * removed it (a temp cleaner on a long-running worker).
   */
  static synchronized Path sharedBin() throws IOException {
    if (sharedBin == null || !Files.isExecutable(sharedBin.resolve("bd"))) {
      Path bin = Files.createTempDirectory("beadpool-bd-");
      // why this order: files registered later are deleted first, and a directory must be empty
      bin.toFile().deleteOnExit();
      Path script = bin.resolve("bd");
      script.toFile().deleteOnExit();
      Files.writeString(script, script(javaCommand(), classPath()), StandardCharsets.UTF_8);
      makeExecutable(script);
      sharedBin = bin;
    }
    return sharedBin;
  }

  /**
   * What {@link #prepare} made.
   *
   * @param binDir goes first on the agent's PATH
   * @param actor the actor the shim is told, or null to use the context's
   */
  public record Prepared(Path binDir, Path contextFile, Path opsFile, String actor) {
    public Prepared(Path binDir, Path contextFile, Path opsFile) {
      this(binDir, contextFile, opsFile, null);
    }

    /**
     * {@code BEADPOOL_BD_CONTEXT}, {@code BEADPOOL_BD_OPS} and {@code BEADPOOL_BD_ACTOR}: what the
     * shim needs. PATH is set by the caller (binDir first).
     */
    public Map<String, String> environment() {
      Map<String, String> env = new LinkedHashMap<>();
      env.put(CONTEXT_ENV, contextFile.toAbsolutePath().toString());
      env.put(OPS_ENV, opsFile.toAbsolutePath().toString());
      if (actor != null && !actor.isBlank()) {
        env.put(ACTOR_ENV, actor);
      }
      return env;
    }
  }

  /**
   * The operations the agent recorded, in order. A torn last line (agent killed mid-write) is
   * skipped; a missing file means none.
   *
   * @throws IOException if a complete line is not an operation (the file was edited by hand)
   */
  public static List<BdOperation> readOperations(Path opsFile) throws IOException {
    return new OpsFile(opsFile).read();
  }

  /** The script: this JVM and class path, quoted for sh; no bead text ever goes in here. */
  static String script(String java, String classPath) {
    StringBuilder command = new StringBuilder("exec ").append(shellQuote(java));
    JVM_FLAGS.forEach(flag -> command.append(' ').append(flag));
    command
        .append(" -cp ")
        .append(shellQuote(classPath))
        .append(' ')
        .append(BdShim.class.getName())
        .append(" \"$@\"\n");
    return "#!/bin/sh\n"
        + "# beadpool's worker bd: answers from the run's context, records changes for the"
        + " coordinator.\n"
        + command;
  }

  /** A single-quoted sh word: {@code '} becomes {@code '\''}. */
  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** The java of this JVM. */
  static String javaCommand() {
    Path home = Path.of(System.getProperty("java.home"), "bin", "java");
    if (Files.isExecutable(home)) {
      return home.toString();
    }
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** This JVM's class path, every entry absolute: the agent runs in another directory. */
  static String classPath() {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(Path.of(entry).toAbsolutePath().toString());
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static void makeExecutable(Path script) throws IOException {
    try {
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (UnsupportedOperationException e) {
      if (!script.toFile().setExecutable(true)) {
        throw new IOException("cannot make " + script + " executable");
      }
    }
  }
}
