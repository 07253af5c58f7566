package dev.beadpool.broker;

import java.util.Objects;

/**
 * A user the embedded broker lets in, with its role ({@link BrokerRoles}). The password never
 * appears in {@link #toString()}.
 */
public record BrokerLogin(String user, String password, String role) {
  public BrokerLogin {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(role, "role");
    if (user.isBlank() || password.isEmpty()) {
      throw new IllegalArgumentException("a broker login needs a user and a password");
    }
  }

  @Override
  public String toString() {
    return "BrokerLogin[user=" + user + ", password=****, role=" + role + "]";
  }
}
