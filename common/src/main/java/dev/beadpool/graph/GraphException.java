package dev.beadpool.graph;

/** A change to the graph that bd's rules refuse (cycle, self-dependency, unknown bead). */
public class GraphException extends Exception {
  private static final long serialVersionUID = 1L;

  public GraphException(String message) {
    super(message);
  }
}
