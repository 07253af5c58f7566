package dev.beadpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.bead.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs the beadpool command line in-process against a store in a temp directory. Public: the pool
 * tests (module pool-tests) run it too.
 */
public final class Cli {
  private final Path db;

  Cli(Path dir) {
    this.db = dir.resolve(".beadpool/beads.db");
  }

  Path db() {
    return db;
  }

  public record Result(int exit, String out, String err) {
    public JsonNode json() {
      try {
        return Json.MAPPER.readTree(out);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
      }
    }
  }

  /** Runs with {@code --db} pointing at the temp store (unless --file is given). */
  Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    boolean needsDb =
        !all.contains("--file")
            && !all.contains("--help")
            && !all.isEmpty()
            && !all.get(0).startsWith("-");
    if (needsDb) {
      int at = all.get(0).equals("dep") ? 2 : 1;
      all.add(Math.min(at, all.size()), db.toString());
      all.add(Math.min(at, all.size() - 1), "--db");
    }
    return raw(all.toArray(String[]::new));
  }

  public static Result raw(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = BeadpoolCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
