package dev.beadpool.agent.bd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadEditor;
import dev.beadpool.bead.BeadEdits;
import dev.beadpool.bead.BeadFormatException;
import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.DependencyRef;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.bead.FieldChanges;
import dev.beadpool.bead.Json;
import dev.beadpool.bead.Timestamps;
import dev.beadpool.protocol.BdOperation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies recorded {@code bd} operations to the beads of a {@link BdView}, by bd's rules ({@link
 * BeadEdits}), the same way the tracker applies them. Applying never fails: an operation that no
 * longer fits (a hand-edited file) is left out of the view; the coordinator has the last word on
 * every operation anyway.
 */
final class OperationReplay {
  private final Map<String, Bead> beads;
  private final String actor;

  /**
   * @param beads the view's beads, by id, changed in place
   */
  OperationReplay(Map<String, Bead> beads, String actor) {
    this.beads = beads;
    this.actor = actor;
  }

  /** Applies one operation; one that does not fit is left out, see the class comment. */
  void apply(BdOperation op) {
    Instant parsed = Timestamps.parseOrNull(op.at());
    Instant at = parsed == null ? Instant.now() : parsed;
    switch (op.op()) {
      case BdOperation.CREATE -> applyCreate(op, at);
      case BdOperation.DEP_ADD ->
          edit(op.id(), at, (before, editor) -> addEdge(op, at, before, editor));
      case BdOperation.DEP_REMOVE ->
          edit(
              op.id(),
              at,
              (before, editor) ->
                  editor.dependencies(
                      before.dependencies().stream()
                          .filter(d -> !d.dependsOnId().equals(op.dependsOn()))
                          .toList()));
      case BdOperation.UPDATE ->
          edit(
              op.id(),
              at,
              (before, editor) -> BeadEdits.update(editor, before, new UpdateFields(op), at));
      case BdOperation.COMMENT ->
          edit(op.id(), at, (before, editor) -> comment(op, at, before, editor));
      case BdOperation.CLOSE -> {
        Bead before = beads.get(op.id());
        if (before != null && !before.isClosed()) {
          edit(op.id(), at, (b, editor) -> BeadEdits.close(editor, b, op.reason(), at));
        }
      }
      case BdOperation.METADATA ->
          edit(op.id(), at, (before, editor) -> metadata(op, before, editor));
      default -> {
        // an operation of a newer worker: nothing this view can show
      }
    }
  }

  private void applyCreate(BdOperation op, Instant at) {
    if (op.id() == null || op.title() == null || beads.containsKey(op.id())) {
      return;
    }
    String stamp = Timestamps.format(at);
    List<Dependency> deps = new ArrayList<>();
    if (op.parent() != null) {
      deps.add(
          Dependency.create(op.id(), op.parent(), DependencyType.PARENT_CHILD_TYPE, stamp, actor));
    }
    for (String ref : op.deps() == null ? List.<String>of() : op.deps()) {
      DependencyRef dep = DependencyRef.parse(ref);
      deps.add(Dependency.create(op.id(), dep.target(), dep.type(), stamp, actor));
    }
    BeadEditor editor =
        BeadEditor.create(op.id(), op.title(), at)
            .priority(op.priority() == null ? Bead.DEFAULT_PRIORITY : op.priority())
            .text("issue_type", op.type())
            .text("description", op.description())
            .text("design", op.design())
            .text("created_by", actor)
            .labels(op.labels() == null ? List.of() : op.labels())
            .dependencies(deps);
    try {
      Bead bead = editor.buildValidated();
      beads.put(bead.id(), bead);
    } catch (BeadFormatException e) {
      // left out of the view, see the class comment
    }
  }

  private void addEdge(BdOperation op, Instant at, Bead before, BeadEditor editor) {
    String type = op.depType() == null ? DependencyType.BLOCKS : op.depType();
    BeadEdits.addDependency(
        editor,
        before,
        Dependency.create(op.id(), op.dependsOn(), type, Timestamps.format(at), actor));
  }

  /** The fields an update operation changes; appended notes go after the notes it sets. */
  private record UpdateFields(BdOperation op) implements FieldChanges {
    @Override
    public String status() {
      return op.status();
    }

    @Override
    public Integer priority() {
      return op.priority();
    }

    @Override
    public String title() {
      return op.title();
    }

    @Override
    public String description() {
      return op.description();
    }

    @Override
    public String design() {
      return op.design();
    }

    @Override
    public String notes() {
      return op.notes();
    }

    @Override
    public String appendNotes() {
      return op.appendNotes();
    }

    @Override
    public List<String> addLabels() {
      return op.addLabels();
    }

    @Override
    public List<String> removeLabels() {
      return op.removeLabels();
    }
  }

  private void comment(BdOperation op, Instant at, Bead before, BeadEditor editor) {
    List<ObjectNode> comments = new ArrayList<>(before.comments());
    ObjectNode comment = Json.MAPPER.createObjectNode();
    comment.put("issue_id", before.id());
    comment.put("author", actor);
    comment.put("text", op.text() == null ? "" : op.text());
    comment.put("created_at", Timestamps.format(at));
    comments.add(comment);
    editor.comments(comments);
  }

  private static void metadata(BdOperation op, Bead before, BeadEditor editor) {
    if (op.metadata() == null) {
      return;
    }
    JsonNode existing = before.field("metadata");
    ObjectNode merged =
        existing instanceof ObjectNode object ? object : Json.MAPPER.createObjectNode();
    merged.setAll(op.metadata().deepCopy());
    editor.set("metadata", merged);
  }

  @FunctionalInterface
  private interface Edit {
    void apply(Bead before, BeadEditor editor);
  }

  private void edit(String id, Instant at, Edit edit) {
    Bead before = id == null ? null : beads.get(id);
    if (before == null) {
      return;
    }
    BeadEditor editor = before.edit();
    edit.apply(before, editor);
    try {
      beads.put(id, BeadEdits.finish(editor, at));
    } catch (BeadFormatException e) {
      // left out of the view, see the class comment
    }
  }
}
