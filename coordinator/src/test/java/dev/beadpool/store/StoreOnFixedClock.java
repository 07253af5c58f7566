package dev.beadpool.store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh store for each test, in project {@code proj} of a temporary directory (so new ids start
 * {@code proj-}), on a clock fixed at 2026-11-21T12:00:00Z; closed after the test.
 */
abstract class StoreOnFixedClock {
  @TempDir Path dir;
  BeadStore store;

  @BeforeEach
  void open() {
    store =
        BeadStore.open(
            dir.resolve("proj/.beadpool/beads.db"),
            Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC));
  }

  @AfterEach
  void close() {
    store.close();
  }
}
