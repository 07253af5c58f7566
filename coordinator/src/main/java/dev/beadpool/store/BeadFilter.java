package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import java.util.List;

/** The filters of {@code list}: every non-null criterion must hold; all labels must be present. */
public record BeadFilter(
    String status, List<String> labels, String issueType, String assignee, String parent) {

  public static final BeadFilter ALL = new BeadFilter(null, List.of(), null, null, null);

  public BeadFilter {
    labels = labels == null ? List.of() : List.copyOf(labels);
  }

  public boolean matches(Bead bead) {
    return (status == null || status.equals(bead.status()))
        && (issueType == null || issueType.equals(bead.issueType()))
        && (assignee == null || assignee.equals(bead.assignee()))
        && (parent == null || parent.equals(bead.parent()))
        && bead.labels().containsAll(labels);
  }
}
