package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.protocol.BdOperation;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Beads that wait for a human (an approval gate, a failure bead: by label) are a human's to settle:
 * an agent may not close one, change its status or remove the dependency that makes a bead wait for
 * it.
 */
final class HumanGates {
  private final Set<String> humanLabels;

  HumanGates(Set<String> humanLabels) {
    this.humanLabels = Set.copyOf(humanLabels);
  }

  /**
   * @throws OperationsRefusedException naming the first operation that settles a human's bead
   */
  void refuse(Connection c, List<BdOperation> ops) throws SQLException {
    for (int i = 0; i < ops.size(); i++) {
      BdOperation op = ops.get(i);
      String gate =
          switch (op.op()) {
            case BdOperation.CLOSE -> op.id();
            case BdOperation.UPDATE -> op.status() == null ? null : op.id();
            case BdOperation.DEP_REMOVE -> op.dependsOn();
            default -> null;
          };
      Bead bead = gate == null ? null : BeadRows.load(c, gate);
      if (bead == null) {
        continue;
      }
      for (String label : bead.labels()) {
        if (humanLabels.contains(label)) {
          throw new OperationsRefusedException(
              i,
              op,
              gate
                  + " is for a human (label "
                  + label
                  + "): an agent may not close it, change its status or remove a dependency on it");
        }
      }
    }
  }
}
