package dev.beadpool.store;

import dev.beadpool.dispatch.PoolStatus;

/** Breaks the store's rule on purpose, so ArchitectureTest can show the rule fails (tests only). */
public final class UsesDispatch {
  private UsesDispatch() {}

  static String name(PoolStatus status) {
    return status.toString();
  }
}
