package dev.beadpool.cli;

import dev.beadpool.owner.StoreLock;
import dev.beadpool.owner.StoreOwnedException;
import java.io.IOException;
import java.nio.file.Path;

/** The store's lock for the commands that run a coordinator; a taken one is the user's error. */
final class StoreLocks {
  private StoreLocks() {}

  /**
   * Takes the lock of {@code store}.
   *
   * @throws CliException (exit 1) naming the coordinator that owns the store, or why the lock file
   *     cannot be used
   */
  static StoreLock acquire(Path store) {
    try {
      return StoreLock.acquire(store);
    } catch (StoreOwnedException e) {
      throw new CliException(e.getMessage());
    } catch (IOException e) {
      throw new CliException(
          "cannot lock the store " + store + " (" + e.getMessage() + "): is its folder writable?");
    }
  }
}
