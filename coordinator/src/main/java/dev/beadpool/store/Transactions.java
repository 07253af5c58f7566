package dev.beadpool.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

/**
 * The store's one connection and its transactions: every write one transaction that either happens
 * whole or not at all and bumps the store's revision; a write inside another joins it.
 *
 * <p>Thread-safe: transactions and reads are synchronized on this object, which holds the
 * connection.
 */
final class Transactions implements AutoCloseable {
  /** SQLite page cache of the store's connection, in KiB. */
  static final int CACHE_KIB = 256 * 1024;

  private final Path file;
  private final Connection connection;
  private boolean closed;
  private int transactionDepth;

  private Transactions(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /** Opens (creating if needed) the SQLite file and migrates its schema. */
  static Transactions open(Path file) {
    Path absolute = file.toAbsolutePath();
    try {
      Files.createDirectories(absolute.getParent());
    } catch (IOException e) {
      throw new StoreException(
          "cannot create the directory for " + file + ": " + e.getMessage(), e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // why: a state change must be on disk before anyone is told it happened
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(10_000);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    // why: a large import inserts at random points of several indexes; the default 2 MB page
    // cache makes every one of them a page read (the cache is allocated as it fills)
    config.setCacheSize(-CACHE_KIB);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    // why: the driver otherwise runs SELECT last_insert_rowid() after every insert; we never ask
    config.setGetGeneratedKeys(false);
    try {
      Connection connection = config.createConnection("jdbc:sqlite:" + absolute);
      try {
        Schema.migrate(connection, file.toString());
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
      return new Transactions(file, connection);
    } catch (SQLException e) {
      throw new StoreException("cannot open bead store " + file + ": " + e.getMessage(), e);
    }
  }

  Path file() {
    return file;
  }

  /** Runs {@code work} in one transaction: committed whole, or rolled back whole. */
  synchronized <T> T inTransaction(Sql.Work<T> work) {
    ensureOpen();
    if (transactionDepth > 0) {
      // why: inside a caller's transaction (a batch), join it: it commits or rolls back whole
      try {
        return work.run(connection);
      } catch (SQLException e) {
        throw failed(e);
      }
    }
    try {
      connection.setAutoCommit(false);
      transactionDepth++;
      try {
        T result = work.run(connection);
        Sql.update(
            connection,
            "UPDATE config SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'");
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        connection.rollback();
        throw e;
      } finally {
        transactionDepth--;
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** Runs {@code work} on the connection, outside any transaction of its own. */
  synchronized <T> T read(Sql.Work<T> work) {
    ensureOpen();
    try {
      return work.run(connection);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /** A read-only connection of its own, for reading beside the store's (the graph loader). */
  Connection openReader() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(10_000);
    config.setTransactionMode(SQLiteConfig.TransactionMode.DEFERRED);
    return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("bead store " + file + " is closed");
    }
  }

  StoreException failed(SQLException e) {
    return new StoreException("bead store " + file + ": " + e.getMessage(), e);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("closing " + file + ": " + e.getMessage(), e);
    }
  }
}
