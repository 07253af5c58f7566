package dev.beadpool.owner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * {@code coordinator.json} beside the store, written by the coordinator that owns it: its API's
 * URL, its pid and the API token. It is how the CLI finds the coordinator and proves it may talk to
 * it, so it is readable by its owner only (mode 0600 from the moment it exists).
 */
public record OwnerFile(String url, long pid, String token) {
  /** The file's name, beside the store. */
  public static final String NAME = "coordinator.json";

  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  /** Where the owner file of the store {@code storeFile} lives. */
  public static Path of(Path storeFile) {
    return storeFile.toAbsolutePath().getParent().resolve(NAME);
  }

  /** The API's port, from its URL; -1 if the URL names none. */
  public int port() {
    try {
      return java.net.URI.create(url).getPort();
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  /**
   * Writes the file atomically: a temporary file created with mode 0600 in the same folder, then
   * renamed over the old one, so no reader ever sees it half written or readable by others.
   */
  public void write(Path file) throws IOException {
    ObjectNode info = Json.MAPPER.createObjectNode();
    info.put("url", url);
    info.put("pid", pid);
    info.put("token", token);
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = createPrivate(dir, file.getFileName() + ".");
    try {
      Files.writeString(tmp, Json.compact(info) + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Path createPrivate(Path dir, String prefix) throws IOException {
    FileAttribute<Set<PosixFilePermission>> ownerOnly =
        PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    try {
      return Files.createTempFile(dir, prefix, ".tmp", ownerOnly);
    } catch (UnsupportedOperationException notPosix) {
      // why: a file system without POSIX modes (Windows): its ACLs are the user's to set
      return Files.createTempFile(dir, prefix, ".tmp");
    }
  }

  /**
   * The owner file at {@code file}, if there is one with a URL and a pid.
   *
   * @throws java.nio.file.AccessDeniedException if it exists but this user cannot read it (the
   *     coordinator runs as someone else)
   */
  public static Optional<OwnerFile> read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    JsonNode info = Json.parseOrNull(text);
    if (info == null || !info.path("url").isTextual() || !info.path("pid").canConvertToLong()) {
      return Optional.empty();
    }
    return Optional.of(
        new OwnerFile(
            info.get("url").asText(), info.get("pid").asLong(), info.path("token").asText("")));
  }

  /** Whether the process that wrote it still runs. */
  public boolean ownerAlive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Override
  public String toString() {
    return "OwnerFile[url=" + url + ", pid=" + pid + ", token=***]";
  }
}
