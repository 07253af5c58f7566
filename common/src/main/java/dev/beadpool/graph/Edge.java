package dev.beadpool.graph;

import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.DependencyType;
import java.util.Objects;

/**
 * A dependency as the engine sees it: {@code from} depends on {@code to}.
 *
 * @param gate the {@code waits-for} gate from the edge's metadata, or null for the default
 */
public record Edge(String from, String to, String type, String gate) {
  public Edge {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(type, "type");
  }

  public static Edge of(Dependency dependency) {
    String gate = dependency.kind() == DependencyType.WAITS_FOR ? dependency.gate() : null;
    return new Edge(dependency.issueId(), dependency.dependsOnId(), dependency.type(), gate);
  }

  public static Edge blocks(String from, String to) {
    return new Edge(from, to, DependencyType.BLOCKS, null);
  }

  public DependencyType kind() {
    return DependencyType.of(type);
  }

  public boolean anyChildrenGate() {
    return Dependency.GATE_ANY_CHILDREN.equals(gate);
  }
}
