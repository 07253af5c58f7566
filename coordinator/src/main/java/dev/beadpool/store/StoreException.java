package dev.beadpool.store;

/** The store cannot do what was asked: a file it cannot open, a schema it does not know. */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
