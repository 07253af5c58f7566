package dev.beadpool.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Which files {@code /api/import} may read: a regular file, of bounded size, whose real path (links
 * resolved) lies under the project directory, the one holding {@code .beadpool/}. Anything else the
 * coordinator's user can read ({@code /etc/passwd}, {@code /proc/self/environ}, {@code /dev/zero})
 * is refused before it is opened, and refusals never quote the file.
 */
final class ImportFiles {
  /** A request to import a file that may not be imported: the status to answer and why. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private final Path projectDir;
  private final long maxBytes;

  ImportFiles(Path projectDir, long maxBytes) {
    this.projectDir = projectDir;
    this.maxBytes = maxBytes;
  }

  /** The project directory of the store {@code storeFile}: the one holding {@code .beadpool/}. */
  static Path projectDirOf(Path storeFile) {
    Path parent = storeFile.toAbsolutePath().getParent();
    if (parent != null
        && parent.getFileName() != null
        && parent.getFileName().toString().equals(".beadpool")) {
      return parent.getParent();
    }
    return parent == null ? Path.of("").toAbsolutePath() : parent;
  }

  /** The real path of {@code requested} if it may be imported. */
  Path check(String requested) throws Refused {
    Path real;
    Path root;
    try {
      root = projectDir.toRealPath();
      real = Path.of(requested).toAbsolutePath().toRealPath();
    } catch (NoSuchFileException e) {
      throw new Refused(400, "cannot import " + requested + ": no such file");
    } catch (IOException | java.nio.file.InvalidPathException e) {
      throw new Refused(400, "cannot import " + requested + ": cannot read it");
    }
    if (!real.startsWith(root)) {
      throw new Refused(
          403,
          "cannot import "
              + requested
              + ": the coordinator imports only files under its project directory "
              + projectDir
              + " (links resolved); copy the export there");
    }
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(real, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new Refused(400, "cannot import " + requested + ": cannot read it");
    }
    if (!attributes.isRegularFile()) {
      throw new Refused(400, "cannot import " + requested + ": not a regular file");
    }
    if (attributes.size() > maxBytes) {
      throw new Refused(
          413,
          "cannot import "
              + requested
              + ": "
              + attributes.size()
              + " bytes, more than the API's limit of "
              + maxBytes
              + "; import it with the coordinator stopped");
    }
    return real;
  }
}
