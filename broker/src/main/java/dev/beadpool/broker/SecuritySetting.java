package dev.beadpool.broker;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.core.security.Role;

/**
 * What each role may do on the addresses a match names: one {@code <security-setting>} of
 * broker.xml. Artemis takes the most specific match alone (settings are not merged), so every
 * setting names the admin role too.
 *
 * @param match an address, or a wildcard ({@code beadpool.dispatch.#} also matches {@code
 *     beadpool.dispatch})
 * @param grants each role's permissions, in the order they are written
 */
public record SecuritySetting(String match, Map<String, Set<Permission>> grants) {
  public SecuritySetting {
    Map<String, Set<Permission>> copy = new LinkedHashMap<>();
    grants.forEach((role, permissions) -> copy.put(role, Set.copyOf(permissions)));
    grants = java.util.Collections.unmodifiableMap(copy);
  }

  /** The roles holding {@code permission}, in the order they were granted. */
  public Set<String> rolesWith(Permission permission) {
    Set<String> roles = new LinkedHashSet<>();
    grants.forEach(
        (role, permissions) -> {
          if (permissions.contains(permission)) {
            roles.add(role);
          }
        });
    return roles;
  }

  /** The same setting as Artemis' configuration takes it. */
  public Set<Role> artemisRoles() {
    Set<Role> roles = new LinkedHashSet<>();
    grants.forEach(
        (name, granted) -> {
          Set<Permission> p = granted.isEmpty() ? Set.of() : EnumSet.copyOf(granted);
          roles.add(
              new Role(
                  name,
                  p.contains(Permission.SEND),
                  p.contains(Permission.CONSUME),
                  p.contains(Permission.CREATE_DURABLE_QUEUE),
                  p.contains(Permission.DELETE_DURABLE_QUEUE),
                  p.contains(Permission.CREATE_NON_DURABLE_QUEUE),
                  p.contains(Permission.DELETE_NON_DURABLE_QUEUE),
                  p.contains(Permission.MANAGE),
                  p.contains(Permission.BROWSE),
                  p.contains(Permission.CREATE_ADDRESS),
                  p.contains(Permission.DELETE_ADDRESS)));
        });
    return roles;
  }
}
