package dev.beadpool.store;

/**
 * bd's rules refuse the change: a claim held by someone else, a cycle, closing a blocked bead. The
 * store is unchanged.
 */
public final class RefusedException extends StoreException {
  private static final long serialVersionUID = 1L;

  public RefusedException(String message) {
    super(message);
  }
}
