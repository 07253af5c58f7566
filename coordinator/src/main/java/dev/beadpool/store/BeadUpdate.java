package dev.beadpool.store;

/** The fields {@code update} may change; null means leave as is, "" clears a text field. */
public record BeadUpdate(
    String status,
    String assignee,
    Integer priority,
    String title,
    String description,
    String design,
    String acceptanceCriteria,
    String notes,
    String appendNotes) {

  public static final BeadUpdate NONE =
      new BeadUpdate(null, null, null, null, null, null, null, null, null);

  public boolean isEmpty() {
    return equals(NONE);
  }

  public BeadUpdate withStatus(String value) {
    return new BeadUpdate(
        value,
        assignee,
        priority,
        title,
        description,
        design,
        acceptanceCriteria,
        notes,
        appendNotes);
  }
}
