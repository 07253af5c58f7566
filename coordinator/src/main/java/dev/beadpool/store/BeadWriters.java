package dev.beadpool.store;

import java.time.Clock;

/**
 * The store's writes, each inside a transaction its caller holds: what the store's public methods,
 * an agent's operations and the run ledger change beads with.
 */
record BeadWriters(
    BeadCreation creation, FieldWrites fields, StatusWrites status, DependencyWrites dependencies) {

  static BeadWriters of(Clock clock, IdAllocator ids) {
    return new BeadWriters(
        new BeadCreation(clock, ids),
        new FieldWrites(clock),
        new StatusWrites(clock),
        new DependencyWrites(clock));
  }
}
