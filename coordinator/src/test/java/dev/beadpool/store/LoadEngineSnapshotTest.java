package dev.beadpool.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.bead.Bead;
import dev.beadpool.graph.BeadState;
import dev.beadpool.graph.ReadyEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadEngineSnapshotTest {
  @TempDir Path dir;

  @Test
  void everyWriteBumpsTheRevision() {
    try (BeadStore store = BeadStore.open(dir.resolve("beads.db"), Clock.systemUTC())) {
      long before = store.revision();
      Bead a = store.create(NewBead.titled("a"), "x");
      store.close(a.id(), null, false, "x");
      assertThat(store.revision()).isEqualTo(before + 2);
    }
  }

  @Test
  void theGraphIsOneSnapshotWhileAWriterCommits() throws Exception {
    Path db = dir.resolve("beads.db");
    try (BeadStore writer = BeadStore.open(db, Clock.systemUTC());
        BeadStore reader = BeadStore.open(db, Clock.systemUTC())) {
      Bead gate = writer.create(NewBead.titled("gate, stays open"), "x");
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger created = new AtomicInteger();
      Thread thread =
          new Thread(
              () -> {
                while (!stop.get()) {
                  // every new bead depends on the open gate: it must never look unblocked
                  writer.create(
                      new NewBead(
                          "w", null, null, 2, List.of(), null, List.of(gate.id()), null, null),
                      "w");
                  created.incrementAndGet();
                }
              },
              "test-writer");
      thread.start();
      try {
        for (int i = 0; i < 40; i++) {
          ReadyEngine engine = reader.loadEngine();
          List<String> ready =
              engine
                  .ready(dev.beadpool.graph.SortPolicy.PRIORITY, java.time.Instant.now(), 0)
                  .stream()
                  .map(BeadState::id)
                  .toList();
          assertThat(ready).as("load %d", i).containsExactly(gate.id());
        }
      } finally {
        stop.set(true);
        thread.join();
      }
      assertThat(created.get()).isPositive();
    }
  }
}
