package dev.beadpool.store;

import dev.beadpool.bead.FieldChanges;

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

  /** These changes for bd's rules; appended notes go after the notes the bead had. */
  FieldChanges changes() {
    return new FieldChanges(
        status,
        assignee,
        priority,
        title,
        description,
        design,
        acceptanceCriteria,
        notes,
        appendNotes,
        FieldChanges.AppendTo.NOTES_BEFORE,
        null,
        null);
  }
}
