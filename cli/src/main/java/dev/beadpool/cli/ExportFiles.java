package dev.beadpool.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The bd export a command is given ({@code import FILE}, {@code --file}), checked before use. */
final class ExportFiles {
  private ExportFiles() {}

  /**
   * Refuses what cannot be read as an export, saying which case it is: a directory (naming the
   * {@code issues.jsonl} inside it when there is one), a missing path, an unreadable file.
   */
  static void requireReadable(Path file) {
    if (Files.isDirectory(file)) {
      Path inside = file.resolve("issues.jsonl");
      throw new CliException(
          "cannot read "
              + file
              + ": it is a directory, not a bd export; "
              + (Files.isRegularFile(inside)
                  ? "did you mean " + inside + "?"
                  : "give the export file itself, e.g. .beads/issues.jsonl"));
    }
    if (!Files.exists(file)) {
      throw new CliException("cannot read " + file + ": no such file");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new CliException("cannot read " + file + ": not a readable file");
    }
  }
}
