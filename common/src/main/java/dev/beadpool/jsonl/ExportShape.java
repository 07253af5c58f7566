package dev.beadpool.jsonl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.DependencyType;

/**
 * The JSON object bd writes for an issue on export and in {@code --json} output: the stored fields
 * plus the recomputed export-only keys. Counts are bd's: {@code dependency_count} and {@code
 * dependent_count} count only {@code blocks} edges (outgoing and incoming).
 */
public final class ExportShape {
  private ExportShape() {}

  /** The line {@code export} writes: {@code _type}, the fields, then the counts. */
  public static ObjectNode exportLine(Bead bead, int dependentCount) {
    ObjectNode out = bead.json();
    out.put("dependency_count", dependencyCount(bead));
    out.put("dependent_count", dependentCount);
    out.put("comment_count", bead.commentCount());
    out.put("_type", "issue");
    return out;
  }

  /** The object of {@code bd list --json} / {@code bd ready --json}: counts and {@code parent}. */
  public static ObjectNode listItem(Bead bead, int dependentCount) {
    ObjectNode out = bead.json();
    out.put("dependency_count", dependencyCount(bead));
    out.put("dependent_count", dependentCount);
    out.put("comment_count", bead.commentCount());
    String parent = bead.parent();
    if (parent != null) {
      out.put("parent", parent);
    }
    return out;
  }

  /** Outgoing {@code blocks} edges. */
  public static int dependencyCount(Bead bead) {
    int count = 0;
    for (Dependency d : bead.dependencies()) {
      if (DependencyType.BLOCKS.equals(d.type())) {
        count++;
      }
    }
    return count;
  }
}
