package dev.beadpool.bead;

import java.util.List;

/**
 * The fields one {@code bd update} changes: null leaves a field as it is, "" clears a text field.
 * Every field is null unless an implementation says otherwise, so each side names only the fields
 * it has (the worker's {@code bd} has no assignee, the coordinator's update no labels).
 */
public interface FieldChanges {
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

  /** A line to append to the notes; bd refuses it together with {@link #notes()}. */
  default String appendNotes() {
    return null;
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
