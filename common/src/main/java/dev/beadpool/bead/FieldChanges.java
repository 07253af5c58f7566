package dev.beadpool.bead;

import java.util.List;

/**
 * The fields one {@code bd update} changes: null leaves a field as it is, "" clears a text field.
 * Every field is null unless an implementation says otherwise, so each side names only the fields
 * it has (the worker's {@code bd} has no assignee, the coordinator's update no labels).
 */
public interface FieldChanges {
  /**
   * Where {@code appendNotes} goes when {@code notes} replaces the notes in the same update. The
   * coordinator has always appended to the notes as they were, the worker's {@code bd} to the notes
   * the update sets; the two differ only when both are given (the coordinator refuses an agent's
   * update that gives both), and issue 11 keeps both as they were.
   */
  enum AppendTo {
    /** To the notes the bead had before the update; the update's {@code notes} are lost. */
    NOTES_BEFORE,
    /** To the update's {@code notes} when given, else to the notes the bead had. */
    NOTES_SET
  }

  default String status() {
    return null;
  }

  default String assignee() {
    return null;
  }

  default Integer priority() {
    return null;
  }

  default String title() {
    return null;
  }

  default String description() {
    return null;
  }

  default String design() {
    return null;
  }

  default String acceptanceCriteria() {
    return null;
  }

  default String notes() {
    return null;
  }

  /** A line to append to the notes. */
  default String appendNotes() {
    return null;
  }

  default AppendTo appendTo() {
    return AppendTo.NOTES_SET;
  }

  /** Labels to add, new ones at the end, before {@link #removeLabels} are removed. */
  default List<String> addLabels() {
    return null;
  }

  default List<String> removeLabels() {
    return null;
  }

  /** Whether the update changes the labels. */
  default boolean changesLabels() {
    return addLabels() != null || removeLabels() != null;
  }
}
