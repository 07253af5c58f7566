package dev.beadpool.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One change an agent made with the worker's {@code bd}: recorded on the worker, carried with the
 * run's result, applied by the coordinator together with the others of the run in one transaction,
 * or refused with them.
 *
 * <p>Fields by {@link #op()} (null where not listed):
 *
 * <ul>
 *   <li>{@code create}: {@code id} (the id the agent was told; the coordinator keeps it unless it
 *       is taken, then assigns another and rewrites the later operations), {@code title}, {@code
 *       description}, {@code design}, {@code type}, {@code priority}, {@code labels}, {@code
 *       parent}, {@code deps} (bd's {@code --deps}: {@code id} or {@code type:id}).
 *   <li>{@code dep-add}: {@code id} depends on {@code dependsOn} with {@code depType} (default
 *       {@code blocks}).
 *   <li>{@code dep-remove}: {@code id} no longer depends on {@code dependsOn}.
 *   <li>{@code update}: {@code id}, any of {@code status}, {@code notes}, {@code appendNotes},
 *       {@code design}, {@code description}, {@code priority}, {@code title}, {@code addLabels},
 *       {@code removeLabels}.
 *   <li>{@code comment}: {@code id}, {@code text}.
 *   <li>{@code close}: {@code id}, {@code reason}.
 *   <li>{@code metadata}: {@code id}, {@code metadata}: keys merged into the bead's {@code
 *       metadata} object (the worker records worktree branch, commit and phase this way).
 * </ul>
 *
 * @param at when the agent made the change (RFC 3339), for the history
 */
public record BdOperation(
    String op,
    String id,
    String title,
    String description,
    String design,
    String type,
    Integer priority,
    List<String> labels,
    String parent,
    List<String> deps,
    String dependsOn,
    String depType,
    String status,
    String notes,
    String appendNotes,
    List<String> addLabels,
    List<String> removeLabels,
    String text,
    String reason,
    ObjectNode metadata,
    String at) {

  public static final String CREATE = "create";
  public static final String DEP_ADD = "dep-add";
  public static final String DEP_REMOVE = "dep-remove";
  public static final String UPDATE = "update";
  public static final String COMMENT = "comment";
  public static final String CLOSE = "close";
  public static final String METADATA = "metadata";
  public static final Set<String> KINDS =
      Set.of(CREATE, DEP_ADD, DEP_REMOVE, UPDATE, COMMENT, CLOSE, METADATA);

  public BdOperation {
    Objects.requireNonNull(op, "op");
    labels = labels == null ? null : List.copyOf(labels);
    deps = deps == null ? null : List.copyOf(deps);
    addLabels = addLabels == null ? null : List.copyOf(addLabels);
    removeLabels = removeLabels == null ? null : List.copyOf(removeLabels);
  }

  public static BdOperation create(
      String id,
      String title,
      String description,
      String design,
      String type,
      Integer priority,
      List<String> labels,
      String parent,
      List<String> deps,
      String at) {
    return new BdOperation(
        CREATE,
        id,
        title,
        description,
        design,
        type,
        priority,
        labels,
        parent,
        deps,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        at);
  }

  public static BdOperation depAdd(String id, String dependsOn, String depType, String at) {
    return new BdOperation(
        DEP_ADD, id, null, null, null, null, null, null, null, null, dependsOn, depType, null, null,
        null, null, null, null, null, null, at);
  }

  public static BdOperation depRemove(String id, String dependsOn, String at) {
    return new BdOperation(
        DEP_REMOVE,
        id,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        dependsOn,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        at);
  }

  public static BdOperation update(
      String id,
      String title,
      String description,
      String design,
      Integer priority,
      String status,
      String notes,
      String appendNotes,
      List<String> addLabels,
      List<String> removeLabels,
      String at) {
    return new BdOperation(
        UPDATE,
        id,
        title,
        description,
        design,
        null,
        priority,
        null,
        null,
        null,
        null,
        null,
        status,
        notes,
        appendNotes,
        addLabels,
        removeLabels,
        null,
        null,
        null,
        at);
  }

  public static BdOperation comment(String id, String text, String at) {
    return new BdOperation(
        COMMENT, id, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, text, null, null, at);
  }

  public static BdOperation close(String id, String reason, String at) {
    return new BdOperation(
        CLOSE, id, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, reason, null, at);
  }

  public static BdOperation metadata(String id, ObjectNode metadata, String at) {
    return new BdOperation(
        METADATA, id, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, metadata, at);
  }

  /** This operation with every bead id in it mapped (after the coordinator re-assigned an id). */
  public BdOperation withIds(java.util.function.UnaryOperator<String> map) {
    return new BdOperation(
        op,
        id == null ? null : map.apply(id),
        title,
        description,
        design,
        type,
        priority,
        labels,
        parent == null ? null : map.apply(parent),
        deps == null ? null : deps.stream().map(d -> mapDep(d, map)).toList(),
        dependsOn == null ? null : map.apply(dependsOn),
        depType,
        status,
        notes,
        appendNotes,
        addLabels,
        removeLabels,
        text,
        reason,
        metadata,
        at);
  }

  private static String mapDep(String dep, java.util.function.UnaryOperator<String> map) {
    int colon = dep.indexOf(':');
    return colon < 0
        ? map.apply(dep)
        : dep.substring(0, colon + 1) + map.apply(dep.substring(colon + 1));
  }
}
