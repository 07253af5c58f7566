package dev.beadpool.store;

import dev.beadpool.protocol.BdOperation;

/**
 * One of an agent's operations broke bd's rules, so none of the set was applied: the store is as it
 * was before the set (the caller's own writes in the same transaction are kept).
 */
public final class OperationsRefusedException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final int index;
  private final transient BdOperation operation;
  private final String reason;

  /**
   * @param index the refused operation's position in the set, from 0
   * @param operation the refused operation as the agent sent it
   * @param reason why, in one line
   */
  public OperationsRefusedException(int index, BdOperation operation, String reason) {
    super("operation " + index + " (" + describe(operation) + "): " + reason);
    this.index = index;
    this.operation = operation;
    this.reason = reason;
  }

  /** The refused operation's position in the set, from 0. */
  public int index() {
    return index;
  }

  /** The refused operation as the agent sent it (before any id was re-assigned). */
  public BdOperation operation() {
    return operation;
  }

  /** Why it was refused, without the operation's description. */
  public String reason() {
    return reason;
  }

  /** {@code dep-add bd-a -> bd-b}, {@code close bd-a}: the operation in a few words. */
  static String describe(BdOperation op) {
    if (op == null) {
      return "missing";
    }
    String id = op.id() == null ? "" : " " + op.id();
    return switch (op.op()) {
      case BdOperation.DEP_ADD, BdOperation.DEP_REMOVE -> op.op() + id + " -> " + op.dependsOn();
      case BdOperation.CREATE ->
          op.id() == null ? op.op() + " \"" + op.title() + "\"" : op.op() + id;
      default -> op.op() + id;
    };
  }
}
