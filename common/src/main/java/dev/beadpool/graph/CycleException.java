package dev.beadpool.graph;

import java.util.List;

/** Adding a blocking edge would close a cycle; the message prints it. */
public final class CycleException extends GraphException {
  private static final long serialVersionUID = 1L;

  private final List<String> cycle;

  public CycleException(List<String> cycle) {
    super("dependency would create a cycle: " + String.join(" -> ", cycle));
    this.cycle = List.copyOf(cycle);
  }

  /** The ids around the cycle, first and last equal: {@code [bd-a, bd-b, bd-a]}. */
  public List<String> cycle() {
    return cycle;
  }
}
