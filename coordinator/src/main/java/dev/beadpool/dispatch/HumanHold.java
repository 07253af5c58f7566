package dev.beadpool.dispatch;

/**
 * An open bead for a human (an approval gate, a failure bead) that holds other beads back: what
 * {@code status}, the progress line and {@code watch} name, so nobody waits on a pool that waits on
 * them.
 *
 * @param bead the human bead
 * @param label the human label that makes it one ({@code approval}, {@code failure})
 * @param title its title
 * @param beads the open beads it holds back, directly or through others
 */
public record HumanHold(String bead, String label, String title, int beads) {
  /** {@code held by approval demo-gate: close it to release 24 beads}. */
  public String why() {
    return "held by "
        + label
        + " "
        + bead
        + ": close it to release "
        + beads
        + (beads == 1 ? " bead" : " beads");
  }
}
