package dev.beadpool.bead;

import java.util.List;

/**
 * The fields one {@code bd update} changes; null leaves a field as it is, "" clears a text field.
 *
 * @param appendTo which notes {@code appendNotes} is appended to when {@code notes} is given too
 * @param addLabels labels to add (null: none), before {@code removeLabels} are removed
 */
public record FieldChanges(
    String status,
    String assignee,
    Integer priority,
    String title,
    String description,
    String design,
    String acceptanceCriteria,
    String notes,
    String appendNotes,
    AppendTo appendTo,
    List<String> addLabels,
    List<String> removeLabels) {

  /**
   * Where {@code appendNotes} goes when {@code notes} replaces the notes in the same update. The
   * coordinator has always appended to the notes as they were, the worker's {@code bd} to the notes
   * the update sets; the two differ only when both are given (the coordinator refuses an agent's
   * update that gives both), and issue 11 keeps both as they were.
   */
  public enum AppendTo {
    /** To the notes the bead had before the update; the update's {@code notes} are lost. */
    NOTES_BEFORE,
    /** To the update's {@code notes} when given, else to the notes the bead had. */
    NOTES_SET
  }

  public FieldChanges {
    if (appendTo == null) {
      throw new IllegalArgumentException("appendTo must be given");
    }
  }

  /** Whether the update changes the labels. */
  public boolean changesLabels() {
    return addLabels != null || removeLabels != null;
  }
}
