package dev.beadpool.broker;

import static dev.beadpool.broker.Permission.CONSUME;
import static dev.beadpool.broker.Permission.CREATE_ADDRESS;
import static dev.beadpool.broker.Permission.CREATE_DURABLE_QUEUE;
import static dev.beadpool.broker.Permission.CREATE_NON_DURABLE_QUEUE;
import static dev.beadpool.broker.Permission.SEND;

import dev.beadpool.protocol.Addresses;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may do what on beadpool's addresses, once for the embedded broker and the standalone one's
 * broker.xml ({@link SecuritySettingsXml}, shown in docs/cluster.md): the coordinator and the
 * workers log in as users of their own role, each allowed only what its side of the protocol does
 * ({@link Addresses}); the admin (the console's user) may do everything.
 *
 * <p>So a worker's login cannot take results, read claims or heartbeats (they carry lease secrets)
 * or send dispatches; the coordinator's cannot take dispatches. A worker's claim replies come on a
 * JMS temporary queue, named by a UUID: the broker matches such names as {@code
 * <UUID_NAMESPACE>.<uuid>} ({@code <uuid-namespace>} in broker.xml), so only they are covered by
 * the reply-queue setting.
 */
public final class BrokerRoles {
  /** The coordinator's role. */
  public static final String COORDINATOR = "beadpool-coordinator";

  /** The workers' role. */
  public static final String WORKER = "beadpool-worker";

  /**
   * The admin's role: the one {@code artemis create} gives the user it makes (its {@code --role}
   * default), which the web console's management.xml lets in.
   */
  public static final String ADMIN = "amq";

  /** Where the broker files resources named by a UUID (temporary queues) for security settings. */
  public static final String UUID_NAMESPACE = "temp";

  // why the create rights: the standalone broker makes beadpool's queues when first used, by
  // whichever side comes first, as the embedded one has some of them made at start
  private static final Set<Permission> SEND_TO_QUEUE =
      EnumSet.of(SEND, CREATE_ADDRESS, CREATE_DURABLE_QUEUE);
  private static final Set<Permission> TAKE_FROM_QUEUE =
      EnumSet.of(CONSUME, CREATE_ADDRESS, CREATE_DURABLE_QUEUE);
  // why the coordinator takes from the dead-letter queue: a dispatch the broker dead-letters is
  // taken, its run failed with the reason, and put back explained (a human reads it there)
  private static final Set<Permission> SEND_AND_TAKE =
      EnumSet.of(SEND, CONSUME, CREATE_ADDRESS, CREATE_DURABLE_QUEUE);
  private static final Set<Permission> PUBLISH = EnumSet.of(SEND, CREATE_ADDRESS);
  // why non-durable: a subscription lives as long as the coordinator's session
  private static final Set<Permission> SUBSCRIBE =
      EnumSet.of(CONSUME, CREATE_ADDRESS, CREATE_NON_DURABLE_QUEUE);
  private static final Set<Permission> REPLY_QUEUE =
      EnumSet.of(CONSUME, CREATE_ADDRESS, CREATE_NON_DURABLE_QUEUE);

  private BrokerRoles() {}

  /** The settings, most specific first; the last keeps every other beadpool address admin-only. */
  public static List<SecuritySetting> settings() {
    return List.of(
        setting(Addresses.DISPATCH + ".#", COORDINATOR, SEND_TO_QUEUE, WORKER, TAKE_FROM_QUEUE),
        setting(Addresses.RESULTS, WORKER, SEND_TO_QUEUE, COORDINATOR, TAKE_FROM_QUEUE),
        setting(Addresses.CLAIMS, WORKER, PUBLISH, COORDINATOR, SUBSCRIBE),
        setting(Addresses.HEARTBEATS, WORKER, PUBLISH, COORDINATOR, SUBSCRIBE),
        setting(Addresses.PRESENCE, WORKER, PUBLISH, COORDINATOR, SUBSCRIBE),
        setting(Addresses.OUTPUT, WORKER, PUBLISH, COORDINATOR, SUBSCRIBE),
        setting(Addresses.DEAD_LETTER, WORKER, SEND_TO_QUEUE, COORDINATOR, SEND_AND_TAKE),
        setting(UUID_NAMESPACE + ".#", WORKER, REPLY_QUEUE, COORDINATOR, EnumSet.of(SEND)),
        new SecuritySetting("beadpool.#", Map.of(ADMIN, EnumSet.allOf(Permission.class))));
  }

  private static SecuritySetting setting(
      String match, String role, Set<Permission> granted, String other, Set<Permission> also) {
    Map<String, Set<Permission>> grants = new LinkedHashMap<>();
    grants.put(ADMIN, EnumSet.allOf(Permission.class));
    grants.put(role, granted);
    grants.put(other, also);
    return new SecuritySetting(match, grants);
  }
}
