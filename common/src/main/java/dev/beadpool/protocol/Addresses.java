package dev.beadpool.protocol;

/**
 * Every address beadpool uses, in one place: anycast queues of the same name, but for the multicast
 * ones (JMS topics) named below.
 *
 * <ul>
 *   <li>{@link #DISPATCH}: coordinator to workers, one persistent message per run of a bead, JMS
 *       priority from the bead's priority, duplicate-detected on {@code bead:run}; the default
 *       profile's queue, every other profile has its own ({@link #dispatch(String)}), so a worker
 *       only ever receives beads of the profiles it serves.
 *   <li>{@link #CLAIMS}: a multicast address: workers ask the coordinator for a run before they
 *       start it (request/reply, the reply goes to the worker's temporary queue), non-persistent
 *       and asked again until answered; multicast, so a crashed coordinator's subscription cannot
 *       hold claims back from its successor.
 *   <li>{@link #RESULTS}: workers report how a run ended, or release it.
 *   <li>{@link #HEARTBEATS}: a multicast address: workers keep their leases alive (non-persistent);
 *       another client that subscribes gets copies, it cannot take them away from the coordinator.
 *   <li>{@link #DEAD_LETTER}: messages that cannot be processed, with the reason in a property.
 *   <li>{@link #OUTPUT}: a multicast address (JMS topic): agents' output lines, non-persistent, for
 *       whoever watches (the coordinator relays them to {@code beadpool watch} and {@code logs
 *       --follow}).
 *   <li>{@link #PRESENCE}: a multicast address: workers announce themselves (profiles, slots, busy,
 *       open circuits), non-persistent; with no coordinator subscribed they are dropped at once
 *       instead of piling up.
 * </ul>
 */
public final class Addresses {
  public static final String DISPATCH = "beadpool.dispatch";
  public static final String CLAIMS = "beadpool.claims";
  public static final String RESULTS = "beadpool.results";
  public static final String HEARTBEATS = "beadpool.heartbeats";
  public static final String DEAD_LETTER = "beadpool.dlq";
  public static final String OUTPUT = "beadpool.output";
  public static final String PRESENCE = "beadpool.presence";

  /** The dispatch queue of a profile: {@link #DISPATCH} for the default one. */
  public static String dispatch(String profile) {
    return profile == null || DispatchMessage.DEFAULT_PROFILE.equals(profile)
        ? DISPATCH
        : DISPATCH + "." + profile;
  }

  private Addresses() {}
}
