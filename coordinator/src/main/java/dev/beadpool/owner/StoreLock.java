package dev.beadpool.owner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One coordinator per store: an OS lock on {@code coordinator.lock} beside the store, taken before
 * anything else and held for the process's life. The OS lets go of it when the process dies,
 * however it dies, so a coordinator killed with SIGKILL never blocks the next one; a second
 * coordinator on a running one's store is refused, naming the first.
 *
 * <p>The lock file is never deleted: deleting it would let two processes lock two different files
 * of the same name. It holds the owner's pid, for the refusal message.
 */
public final class StoreLock implements AutoCloseable {
  /** The lock file's name, beside the store. */
  public static final String NAME = "coordinator.lock";

  // why: on Linux closing any descriptor of a file drops every lock this process holds on it, so a
  // second try in the same process must not even open the lock file
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path storeFile;
  private final Path lockFile;
  private final FileChannel channel;
  private final FileLock lock;

  private StoreLock(Path storeFile, Path lockFile, FileChannel channel, FileLock lock) {
    this.storeFile = storeFile;
    this.lockFile = lockFile;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the store's lock without waiting.
   *
   * @throws StoreOwnedException if another coordinator (another process, or another one in this
   *     process) holds it
   * @throws IOException if the lock file cannot be created or locked
   */
  public static StoreLock acquire(Path storeFile) throws IOException {
    Path store = storeFile.toAbsolutePath();
    Path dir = Files.createDirectories(store.getParent());
    Path file = dir.toRealPath().resolve(NAME);
    if (!HELD.add(file)) {
      throw new StoreOwnedException(store, owner(dir, null) + " in this process");
    }
    FileChannel channel = null;
    FileLock lock = null;
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException sameProcess) {
        lock = null;
      }
    } finally {
      if (lock == null) {
        HELD.remove(file);
        if (channel != null) {
          channel.close();
        }
      }
    }
    if (lock == null) {
      throw new StoreOwnedException(store, owner(dir, file));
    }
    // why: the pid lets a refused coordinator name this one even before coordinator.json exists
    channel.truncate(0);
    channel.write(
        ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
        0);
    channel.force(true);
    return new StoreLock(store, file, channel, lock);
  }

  /** Who holds the lock: the owner file if it is there, else the pid in the lock file. */
  private static String owner(Path dir, Path lockFile) {
    try {
      Optional<OwnerFile> owner = OwnerFile.read(dir.resolve(OwnerFile.NAME));
      if (owner.isPresent()) {
        int port = owner.get().port();
        return "the coordinator with pid "
            + owner.get().pid()
            + (port > 0 ? " and API port " + port : "")
            + " ("
            + owner.get().url()
            + ", named in "
            + dir.resolve(OwnerFile.NAME)
            + ")";
      }
    } catch (IOException e) {
      // unreadable: fall back to the lock file
    }
    if (lockFile == null) {
      return "another coordinator";
    }
    try {
      String pid = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
      if (!pid.isEmpty() && pid.chars().allMatch(Character::isDigit)) {
        return "the coordinator with pid " + pid + " (still starting: no API yet)";
      }
    } catch (IOException e) {
      // nothing more to say
    }
    return "another coordinator";
  }

  /** The store this lock guards. */
  public Path storeFile() {
    return storeFile;
  }

  /** Releases the lock; safe to call twice. */
  @Override
  public void close() throws IOException {
    if (channel.isOpen()) {
      try {
        lock.release();
      } finally {
        channel.close();
        HELD.remove(lockFile);
      }
    }
  }
}
