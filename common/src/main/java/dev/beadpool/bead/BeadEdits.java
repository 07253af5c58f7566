package dev.beadpool.bead;

import dev.beadpool.id.BeadIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * bd's editing rules, in the one place both the coordinator's store and the worker's {@code bd}
 * take them from: what a status change, a field update, a claim, a close, a release and a new
 * dependency do to a bead. Each changes an editor of {@code before}; stamping {@code updated_at},
 * validating and writing are the caller's, as are the checks that decide whether the edit is
 * allowed at all (a claim's compare-and-set, a close's open blockers).
 */
public final class BeadEdits {
  /** The close reason of {@code bd close} without {@code --reason}. */
  public static final String DEFAULT_CLOSE_REASON = "Closed";

  private BeadEdits() {}

  /**
   * Sets the status by bd's rules: {@code closed_at} iff closed (stamped on close; cleared with
   * {@code close_reason} when a closed bead changes status), {@code started_at} stamped the first
   * time the bead is in progress.
   */
  public static BeadEditor status(BeadEditor editor, Bead before, String status, Instant now) {
    if (status == null) {
      throw new IllegalArgumentException("status must be given for " + before.id());
    }
    editor.text("status", status);
    if (Statuses.CLOSED.equals(status)) {
      editor.timestamp("closed_at", now);
    } else if (before.isClosed()) {
      // why: reopening; bd's rule is closed_at iff closed
      editor.text("closed_at", null).text("close_reason", null);
    }
    if (Statuses.IN_PROGRESS.equals(status) && before.text("started_at") == null) {
      editor.timestamp("started_at", now);
    }
    return editor;
  }

  /** {@code bd close}: closed now, with the reason ({@value #DEFAULT_CLOSE_REASON} if blank). */
  public static BeadEditor close(BeadEditor editor, Bead before, String reason, Instant now) {
    status(editor, before, Statuses.CLOSED, now);
    return editor.text(
        "close_reason", reason == null || reason.isBlank() ? DEFAULT_CLOSE_REASON : reason);
  }

  /** A granted claim: assigned to {@code actor} and in progress. */
  public static BeadEditor claim(BeadEditor editor, Bead before, String actor, Instant now) {
    editor.text("assignee", actor);
    return status(editor, before, Statuses.IN_PROGRESS, now);
  }

  /** A claim given back: open again, with no assignee. */
  public static BeadEditor release(BeadEditor editor, Bead before, Instant now) {
    editor.text("assignee", null);
    return status(editor, before, Statuses.OPEN, now);
  }

  /**
   * {@code bd update}: applies each given field in bd's order (status, assignee, priority, title,
   * description, design, acceptance criteria, notes, appended notes, labels). A status equal to the
   * current one changes nothing, so it stamps no {@code started_at} or {@code closed_at}.
   */
  public static BeadEditor update(
      BeadEditor editor, Bead before, FieldChanges changes, Instant now) {
    if (changes.status() != null && !changes.status().equals(before.status())) {
      status(editor, before, changes.status(), now);
    }
    textIfGiven(editor, "assignee", changes.assignee());
    if (changes.priority() != null) {
      editor.priority(changes.priority());
    }
    textIfGiven(editor, "title", changes.title());
    textIfGiven(editor, "description", changes.description());
    textIfGiven(editor, "design", changes.design());
    textIfGiven(editor, "acceptance_criteria", changes.acceptanceCriteria());
    String refusal = notesRefusal(changes.notes(), changes.appendNotes());
    if (refusal != null) {
      throw new IllegalArgumentException(refusal);
    }
    textIfGiven(editor, "notes", changes.notes());
    if (changes.appendNotes() != null) {
      editor.text("notes", appendLine(before.text("notes"), changes.appendNotes()));
    }
    if (changes.changesLabels()) {
      editor.labels(relabel(before.labels(), changes.addLabels(), changes.removeLabels()));
    }
    return editor;
  }

  private static void textIfGiven(BeadEditor editor, String key, String value) {
    if (value != null) {
      editor.text(key, value);
    }
  }

  /** {@code notes} with {@code line} appended on a line of its own. */
  public static String appendLine(String notes, String line) {
    return notes == null || notes.isEmpty() ? line : notes + "\n" + line;
  }

  /** The labels after adding {@code add} (new ones at the end) and then removing {@code remove}. */
  public static List<String> relabel(List<String> labels, List<String> add, List<String> remove) {
    Set<String> result = new LinkedHashSet<>(labels);
    if (add != null) {
      result.addAll(add);
    }
    if (remove != null) {
      remove.forEach(result::remove);
    }
    return List.copyOf(result);
  }

  /**
   * {@code bd dep add}: the bead's dependencies with {@code dependency} in place of any edge to the
   * same target (one edge per ordered pair), added last.
   */
  public static BeadEditor addDependency(BeadEditor editor, Bead before, Dependency dependency) {
    List<Dependency> deps = new ArrayList<>();
    for (Dependency d : before.dependencies()) {
      if (!d.dependsOnId().equals(dependency.dependsOnId())) {
        deps.add(d);
      }
    }
    deps.add(dependency);
    return editor.dependencies(deps);
  }

  /**
   * Why bd refuses {@code from} depending on {@code to} by their ids alone: a child may not depend
   * on its own parent or an ancestor of it, other than by {@code parent-child}, since it already
   * waits for them through the hierarchy. Null if the ids allow the edge.
   */
  /**
   * bd's rule for {@code update}: the notes are replaced ({@code --notes}) or appended to ({@code
   * --append-notes}), never both at once (bd: "cannot specify both --notes and --append-notes").
   *
   * @return why the two are refused together, or null when they are not both given
   */
  public static String notesRefusal(String notes, String appendNotes) {
    return notes != null && appendNotes != null
        ? "cannot specify both --notes and --append-notes: replace the notes or append to them, not both"
        : null;
  }

  public static String ancestorRefusal(String from, String to, String type) {
    if (DependencyType.of(type) == DependencyType.PARENT_CHILD) {
      return null;
    }
    for (String p = BeadIds.parentOf(from); p != null; p = BeadIds.parentOf(p)) {
      if (p.equals(to)) {
        return "cannot add dependency: "
            + from
            + " is already a child of "
            + to
            + "; children wait for their parent through the hierarchy, an explicit dependency"
            + " would deadlock";
      }
    }
    return null;
  }

  /** Stamps the edit and builds it, validated: a field the edit broke (a priority) is refused. */
  public static Bead finish(BeadEditor editor, Instant now) throws BeadFormatException {
    return editor.touch(now).buildValidated();
  }
}
