package dev.beadpool.protocol;

/**
 * Every queue beadpool uses, in one place. All are anycast queues of the same name.
 *
 * <ul>
 *   <li>{@link #DISPATCH}: coordinator to workers, one persistent message per run of a bead, JMS
 *       priority from the bead's priority, duplicate-detected on {@code bead:run}.
 *   <li>{@link #CLAIMS}: workers ask the coordinator for a run before they start it (request/reply,
 *       the reply goes to the worker's temporary queue).
 *   <li>{@link #RESULTS}: workers report how a run ended, or release it.
 *   <li>{@link #HEARTBEATS}: workers keep their leases alive (non-persistent).
 *   <li>{@link #DEAD_LETTER}: messages that cannot be processed, with the reason in a property.
 * </ul>
 */
public final class Addresses {
  public static final String DISPATCH = "beadpool.dispatch";
  public static final String CLAIMS = "beadpool.claims";
  public static final String RESULTS = "beadpool.results";
  public static final String HEARTBEATS = "beadpool.heartbeats";
  public static final String DEAD_LETTER = "beadpool.dlq";

  private Addresses() {}
}
