package dev.beadpool.store;

import dev.beadpool.protocol.BdOperation;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Applies one set of an agent's {@code bd} operations all or none, under a savepoint of the
 * caller's transaction: if one breaks a rule, everything the set did is rolled back to the
 * savepoint and the caller's own writes stay.
 */
final class AgentOperations {
  private final BeadWriters writers;

  AgentOperations(BeadWriters writers) {
    this.writers = writers;
  }

  /**
   * @throws OperationsRefusedException naming the first operation that broke a rule
   */
  AppliedOperations apply(Connection c, List<BdOperation> ops, String actor) throws SQLException {
    Sql.execute(c, "SAVEPOINT bd_operations");
    try {
      AppliedOperations applied = new OperationsApplier(writers, c, actor).apply(ops);
      Sql.execute(c, "RELEASE bd_operations");
      return applied;
    } catch (SQLException | RuntimeException | Error e) {
      try {
        Sql.execute(c, "ROLLBACK TO bd_operations");
        Sql.execute(c, "RELEASE bd_operations");
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
  }
}
