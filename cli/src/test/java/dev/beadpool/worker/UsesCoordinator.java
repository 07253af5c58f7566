package dev.beadpool.worker;

import dev.beadpool.store.BeadStore;

/**
 * Breaks the worker's rule on purpose, so ArchitectureTest can show the rule fails (tests only).
 */
public final class UsesCoordinator {
  private UsesCoordinator() {}

  static String name(BeadStore store) {
    return store.toString();
  }
}
