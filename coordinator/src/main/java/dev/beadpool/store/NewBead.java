package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadFormatException;
import dev.beadpool.bead.IssueTypes;
import dev.beadpool.bead.Priority;
import java.util.List;
import java.util.Objects;

/**
 * What {@code create} needs. {@code dependencies} are {@code id} or {@code type:id} as in bd's
 * {@code --deps}; {@code parent} makes a child id {@code <parent>.<n>} and a parent-child edge.
 */
public record NewBead(
    String title,
    String description,
    String issueType,
    int priority,
    List<String> labels,
    String parent,
    List<String> dependencies,
    String explicitId,
    String assignee) {

  public NewBead {
    Objects.requireNonNull(title, "title");
    if (title.isBlank()) {
      throw new IllegalArgumentException("title is required");
    }
    try {
      Priority.check(priority);
    } catch (BeadFormatException e) {
      throw new IllegalArgumentException(e.sentence(), e);
    }
    issueType = issueType == null || issueType.isBlank() ? IssueTypes.TASK : issueType;
    labels = labels == null ? List.of() : List.copyOf(labels);
    dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
  }

  public static NewBead titled(String title) {
    return new NewBead(
        title, null, null, Bead.DEFAULT_PRIORITY, List.of(), null, List.of(), null, null);
  }
}
