package dev.beadpool.store;

import java.sql.Connection;
import java.sql.SQLException;

/** The store's {@code config} table: settings by key, the store's id and its revision. */
final class StoreConfig {
  /** The prefix new ids take, when set. */
  static final String ISSUE_PREFIX = "issue_prefix";

  /** bd's config key for custom statuses, comma-separated. */
  static final String CUSTOM_STATUSES = "status.custom";

  private StoreConfig() {}

  /** The value of {@code key}, or null. */
  static String get(Connection c, String key) throws SQLException {
    return Sql.queryString(c, "SELECT value FROM config WHERE key = ?", key);
  }

  static void put(Connection c, String key, String value) throws SQLException {
    Sql.update(
        c,
        "INSERT INTO config(key, value) VALUES (?, ?)"
            + " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        key,
        value);
  }

  /** The store's revision: bumped by every committed write. */
  static long revision(Connection c) throws SQLException {
    return Sql.queryInt(c, "SELECT CAST(value AS INTEGER) FROM config WHERE key = 'revision'");
  }
}
