package dev.beadpool.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The store's few ways of running a statement, in one place for every class of the store. A
 * statement run many times in one transaction (an import, a row writer) keeps its own prepared
 * statement instead.
 */
final class Sql {
  private Sql() {}

  /** Work on the store's connection, inside a transaction or a read. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Reads one row into a value. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Runs a query with string parameters and maps every row. */
  static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, String... params)
      throws SQLException {
    List<T> rows = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        st.setString(i + 1, params[i]);
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
      }
    }
    return rows;
  }

  /** The first column of the first row as text; null without a row. */
  static String queryString(Connection c, String sql, String... params) throws SQLException {
    List<String> rows = query(c, sql, rs -> rs.getString(1), params);
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** The first column of the first row as a number; 0 without a row. */
  static int queryInt(Connection c, String sql, String... params) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        st.setString(i + 1, params[i]);
      }
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  /**
   * Runs one statement once and returns the number of rows it changed. Parameters are bound with
   * {@code setObject}, which in the SQLite driver binds a String, Integer or Long exactly as {@code
   * setString}, {@code setInt} or {@code setLong} do, and null as {@code setNull} does.
   */
  static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        st.setObject(i + 1, params[i]);
      }
      return st.executeUpdate();
    }
  }

  /** Runs a statement that takes no parameters and returns no rows (a savepoint). */
  static void execute(Connection c, String sql) throws SQLException {
    try (java.sql.Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
