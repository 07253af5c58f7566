package dev.beadpool.owner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One coordinator per store, in this process (other processes: {@code StoreOwnerIT}). */
class StoreLockTest {
  @TempDir Path dir;

  Path store() {
    return dir.resolve(".beadpool/beads.db");
  }

  @Test
  void aSecondLockOnAStoreIsRefusedNamingTheOwnerFromItsOwnerFile() throws Exception {
    try (StoreLock first = StoreLock.acquire(store())) {
      new OwnerFile("http://127.0.0.1:7412", 4242, "t0k3n").write(OwnerFile.of(store()));

      assertThatThrownBy(() -> StoreLock.acquire(store()))
          .isInstanceOf(StoreOwnedException.class)
          .hasMessageContaining("is owned by the coordinator with pid 4242 and API port 7412")
          .hasMessageContaining("one coordinator per store")
          .hasMessageNotContaining("t0k3n");
      assertThat(first.storeFile()).isEqualTo(store().toAbsolutePath());
    }
  }

  @Test
  void aLockIsFreeAgainOnceClosedAndClosingTwiceIsSafe() throws Exception {
    StoreLock first = StoreLock.acquire(store());
    assertThatThrownBy(() -> StoreLock.acquire(store())).isInstanceOf(StoreOwnedException.class);

    first.close();
    first.close();

    try (StoreLock second = StoreLock.acquire(store())) {
      assertThat(Files.readString(dir.resolve(".beadpool/" + StoreLock.NAME)).strip())
          .isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }
  }

  @Test
  void aRefusedTryLeavesTheOwnersLockInPlace() throws Exception {
    try (StoreLock first = StoreLock.acquire(store())) {
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> StoreLock.acquire(store()))
            .isInstanceOf(StoreOwnedException.class)
            .hasMessageContaining("in this process");
      }
    }
  }

  @Test
  void theOwnerFileIsWrittenPrivateAndReadBack() throws Exception {
    Path file = dir.resolve(OwnerFile.NAME);
    new OwnerFile("http://127.0.0.1:1", 1, "a").write(file);
    new OwnerFile("http://127.0.0.1:7411", 77, "secret").write(file);

    assertThat(OwnerFile.read(file)).contains(new OwnerFile("http://127.0.0.1:7411", 77, "secret"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(OwnerFile.read(dir.resolve("none.json"))).isEmpty();
    Files.writeString(file, "not json");
    assertThat(OwnerFile.read(file)).isEmpty();
  }
}
