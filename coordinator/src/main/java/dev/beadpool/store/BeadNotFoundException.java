package dev.beadpool.store;

/** No bead with that id. */
public final class BeadNotFoundException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final String id;

  public BeadNotFoundException(String id) {
    super("no issue found matching " + id);
    this.id = id;
  }

  public String id() {
    return id;
  }
}
