package dev.beadpool.bead;

/**
 * Something in a bead's JSON that bd's rules do not allow but that did not cost the bead: what was
 * found in which field, and what was done about it ({@code dependencies[0]: bd-a depends on itself:
 * the edge is dropped, the bead kept}). The reader reports it with the file and line.
 */
public record BeadRepair(String field, String what) {
  /** {@code field: what}. */
  public String message() {
    return field + ": " + what;
  }
}
