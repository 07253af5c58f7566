package dev.beadpool.owner;

import java.nio.file.Path;

/** A coordinator may not start: another one owns the store. */
public final class StoreOwnedException extends java.io.IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path store;

  StoreOwnedException(Path store, String owner) {
    super(
        "the store "
            + store
            + " is owned by "
            + owner
            + ": one coordinator per store. Stop that one first, or use another --db");
    this.store = store;
  }

  /** The store in question. */
  public Path store() {
    return store;
  }
}
