package dev.beadpool.cli;

import dev.beadpool.store.BeadStore;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "export",
    description = {
      "Write the store as bd-compatible JSONL (one issue a line, sorted by id, with _type and",
      "counts). To a file it is written atomically: a temp file, then a rename.",
      "Example: beadpool export .beads/issues.jsonl"
    })
final class ExportCommand extends BaseCommand {
  @Mixin StoreOptions store;

  @Parameters(
      arity = "0..1",
      paramLabel = "FILE",
      description = "Where to write (default: standard output).")
  Path file;

  @Override
  public Integer call() throws Exception {
    try (BeadStore beads = store.openExisting()) {
      if (file == null) {
        beads.exportTo(out());
        out().flush();
      } else {
        long n = beads.exportTo(file);
        err().printf("Exported %d issue%s to %s%n", n, n == 1 ? "" : "s", file);
        err().flush();
      }
    }
    return ExitCodes.OK;
  }
}
