package dev.beadpool.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --db PATH} or {@code --file EXPORT.jsonl}: where a read-only command looks. */
final class SourceOptions {
  @Mixin StoreOptions store = new StoreOptions();

  @Option(
      names = "--file",
      paramLabel = "EXPORT.jsonl",
      description = "Evaluate a bd export (issues.jsonl) directly, without a store.")
  Path file;

  BeadSource open(PrintWriter err) throws IOException {
    if (file != null) {
      if (store.db != null) {
        throw new CliUsageException("use either --db or --file, not both");
      }
      ExportFiles.requireReadable(file);
      return FileSource.load(file, err);
    }
    return new StoreSource(store.openExisting());
  }

  Path projectDir() {
    if (file != null) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null
          && parent.getFileName() != null
          && parent.getFileName().toString().equals(".beads")) {
        parent = parent.getParent();
      }
      return parent == null ? Path.of("").toAbsolutePath() : parent;
    }
    return store.projectDir();
  }
}
