package dev.beadpool.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import dev.beadpool.bead.Statuses;
import dev.beadpool.graph.Edge;
import dev.beadpool.protocol.BdOperation;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplyOperationsTest extends StoreOnFixedClock {
  static final String AT = "2026-11-21T11:59:00Z";
  static final String AGENT = "worker-1";

  // ---- helpers ---------------------------------------------------------------------------------

  Bead existing(String id, String title) {
    return store.create(
        new NewBead(title, null, null, 2, List.of(), null, List.of(), id, null), "alice");
  }

  static BdOperation create(String id, String title, String parent, String... deps) {
    return BdOperation.create(id, title, null, null, null, null, null, parent, List.of(deps), AT);
  }

  static BdOperation notes(String id, String notes) {
    return BdOperation.update(id, null, null, null, null, null, notes, null, null, null, AT);
  }

  static BdOperation priority(String id, int priority) {
    return BdOperation.update(id, null, null, null, priority, null, null, null, null, null, AT);
  }

  static BdOperation status(String id, String status) {
    return BdOperation.update(id, null, null, null, null, status, null, null, null, null, AT);
  }

  static BdOperation labels(String id, List<String> add, List<String> remove) {
    return BdOperation.update(id, null, null, null, null, null, null, null, add, remove, AT);
  }

  static ObjectNode json(String text) {
    return (ObjectNode) Json.parseOrNull(text);
  }

  String export() throws IOException {
    StringWriter out = new StringWriter();
    store.exportTo(out);
    return out.toString();
  }

  /** Every row of every table of beads and bookkeeping: equal dumps mean an untouched store. */
  String dump() {
    return store.read(
        c -> {
          StringBuilder out = new StringBuilder();
          for (String table :
              List.of(
                  "beads",
                  "dependencies",
                  "labels",
                  "comments",
                  "history",
                  "child_counters",
                  "config")) {
            out.append("== ").append(table).append('\n');
            try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY 1, 2")) {
              ResultSetMetaData meta = rs.getMetaData();
              while (rs.next()) {
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                  out.append(rs.getString(i)).append('|');
                }
                out.append('\n');
              }
            }
          }
          return out.toString();
        });
  }

  OperationsRefusedException refusal(List<BdOperation> ops) {
    return catchThrowableOfType(
        () -> store.applyOperations(ops, AGENT), OperationsRefusedException.class);
  }

  // ---- each kind -------------------------------------------------------------------------------

  @Test
  void createKeepsTheAgentsIdAndAllItsFields() {
    Bead blocker = existing("proj-b1", "blocker");
    Bead related = existing("proj-r1", "related");

    AppliedOperations applied =
        store.applyOperations(
            List.of(
                BdOperation.create(
                    "proj-n3w",
                    "New work",
                    "what",
                    "how",
                    "bug",
                    1,
                    List.of("backend", "agent"),
                    null,
                    List.of(blocker.id(), "related:" + related.id()),
                    AT),
                create("proj-d3f", "Defaults", null)),
            AGENT);

    Bead created = store.get("proj-n3w");
    assertThat(created.title()).isEqualTo("New work");
    assertThat(created.text("description")).isEqualTo("what");
    assertThat(created.text("design")).isEqualTo("how");
    assertThat(created.issueType()).isEqualTo("bug");
    assertThat(created.priority()).isEqualTo(1);
    assertThat(created.labels()).containsExactly("backend", "agent");
    assertThat(created.text("created_by")).isEqualTo(AGENT);
    assertThat(created.dependencies())
        .extracting(d -> d.dependsOnId() + " " + d.type())
        .containsExactly("proj-b1 blocks", "proj-r1 related");
    assertThat(store.loadEngine().isBlocked("proj-n3w")).isTrue();
    Bead defaults = store.get("proj-d3f");
    assertThat(defaults.issueType()).isEqualTo("task");
    assertThat(defaults.priority()).isEqualTo(2);
    assertThat(store.history("proj-n3w"))
        .extracting(HistoryEntry::event, HistoryEntry::actor)
        .containsExactly(tuple("created", AGENT));

    assertThat(applied.renamed()).isEmpty();
    assertThat(applied.created()).containsExactly("proj-n3w", "proj-d3f");
    assertThat(applied.touched()).containsExactly("proj-n3w", "proj-d3f");
    assertThat(applied.added())
        .containsExactly(
            new Edge("proj-n3w", "proj-b1", "blocks", null),
            new Edge("proj-n3w", "proj-r1", "related", null));
    assertThat(applied.removed()).isEmpty();
  }

  @Test
  void createUnderANewParentThenDepAddBetweenNewBeadsThenCloseOfTheOriginalInOneSet() {
    Bead original = existing("proj-0r1", "the bead the agent worked on");
    String a = original.id() + ".1";
    String b = original.id() + ".2";

    AppliedOperations applied =
        store.applyOperations(
            List.of(
                create(a, "first part", original.id()),
                create(b, "second part", original.id()),
                BdOperation.depAdd(b, a, null, AT),
                BdOperation.close(original.id(), "split into two", AT)),
            AGENT);

    assertThat(applied.created()).containsExactly(a, b);
    assertThat(applied.renamed()).isEmpty();
    assertThat(applied.touched()).containsExactly(a, b, original.id());
    assertThat(applied.added())
        .containsExactly(
            new Edge(a, original.id(), "parent-child", null),
            new Edge(b, original.id(), "parent-child", null),
            new Edge(b, a, "blocks", null));
    assertThat(applied.removed()).isEmpty();
    assertThat(store.get(b).dependencies())
        .extracting(d -> d.dependsOnId() + " " + d.type())
        .containsExactly(original.id() + " parent-child", a + " blocks");
    Bead closed = store.get(original.id());
    assertThat(closed.status()).isEqualTo(Statuses.CLOSED);
    assertThat(closed.text("close_reason")).isEqualTo("split into two");
    assertThat(store.history(original.id()))
        .extracting(HistoryEntry::event, HistoryEntry::to, HistoryEntry::actor)
        .contains(tuple("status", "closed", AGENT));
    assertThat(store.history(b))
        .extracting(HistoryEntry::event, HistoryEntry::to)
        .containsExactly(tuple("created", "open"), tuple("dependency_added", "blocks " + a));
    assertThat(store.loadEngine().isBlocked(b)).isTrue();
    // the agent's child numbers count as taken: the store's next child does not collide
    assertThat(store.create(childOf(original.id()), "alice").id()).isEqualTo(original.id() + ".3");
  }

  static NewBead childOf(String parent) {
    return new NewBead("later child", null, null, 2, List.of(), parent, List.of(), null, null);
  }

  @Test
  void anAgentsChildNumberBeyondTheCounterRaisesIt() {
    Bead parent = existing("proj-p1", "parent");

    store.applyOperations(List.of(create("proj-p1.7", "seventh", parent.id())), AGENT);
    // why: a deleted child no longer shows in the beads table; only the counter remembers it
    store.read(
        c -> {
          try (Statement st = c.createStatement()) {
            st.execute("PRAGMA foreign_keys = OFF");
            st.execute("DELETE FROM beads WHERE id = 'proj-p1.7'");
            st.execute("PRAGMA foreign_keys = ON");
          }
          return null;
        });

    assertThat(store.create(childOf(parent.id()), "alice").id()).isEqualTo("proj-p1.8");
  }

  @Test
  void takenIdsAreRenamedAndLaterOperationsFollowTheRename() {
    Bead taken = existing("proj-abc", "someone else's bead");
    Bead parent = existing("proj-p1", "parent");
    store.create(childOf(parent.id()), "alice");
    String takenBefore = store.get(taken.id()).toJsonText();

    AppliedOperations applied =
        store.applyOperations(
            List.of(
                create("proj-abc", "mine", null),
                create("proj-p1.1", "my child", parent.id()),
                BdOperation.depAdd("proj-p1.1", "proj-abc", "blocks", AT),
                notes("proj-abc", "written by the agent"),
                BdOperation.comment("proj-p1.1", "on my child", AT)),
            AGENT);

    String mine = applied.renamed().get("proj-abc");
    assertThat(mine).isNotNull().isNotEqualTo("proj-abc").matches("proj-[0-9a-z]{3,8}");
    assertThat(applied.renamed())
        .containsExactly(Map.entry("proj-abc", mine), Map.entry("proj-p1.1", "proj-p1.2"));
    assertThat(applied.created()).containsExactly(mine, "proj-p1.2");
    assertThat(store.get(mine).title()).isEqualTo("mine");
    assertThat(store.get(mine).text("notes")).isEqualTo("written by the agent");
    assertThat(store.get("proj-p1.2").dependencies())
        .extracting(d -> d.dependsOnId() + " " + d.type())
        .containsExactly("proj-p1 parent-child", mine + " blocks");
    assertThat(store.get("proj-p1.2").commentCount()).isEqualTo(1);
    assertThat(store.get(taken.id()).toJsonText()).isEqualTo(takenBefore);
    assertThat(store.get("proj-p1.1").commentCount()).isZero();
    assertThat(applied.touched()).containsExactly(mine, "proj-p1.2");
    assertThat(applied.added())
        .containsExactly(
            new Edge("proj-p1.2", "proj-p1", "parent-child", null),
            new Edge("proj-p1.2", mine, "blocks", null));
  }

  @Test
  void aMalformedOrMisplacedIdIsReplacedAndFollowed() {
    Bead parent = existing("proj-p1", "parent");

    AppliedOperations applied =
        store.applyOperations(
            List.of(
                create("not an id", "odd", null),
                create("proj-xyz", "child without a child id", parent.id()),
                notes("not an id", "followed"),
                notes("proj-xyz", "followed too")),
            AGENT);

    assertThat(applied.renamed()).containsOnlyKeys("not an id", "proj-xyz");
    assertThat(applied.renamed().get("proj-xyz")).isEqualTo("proj-p1.1");
    assertThat(store.get(applied.renamed().get("not an id")).text("notes")).isEqualTo("followed");
    assertThat(store.get("proj-p1.1").text("notes")).isEqualTo("followed too");
    assertThat(store.find("proj-xyz")).isEmpty();
  }

  @Test
  void depRemoveRemovesAnEdgeAndRefusesAMissingOne() {
    Bead a = existing("proj-a1", "a");
    Bead b = existing("proj-b1", "b");
    store.addDependency(a.id(), b.id(), "blocks", "alice");

    AppliedOperations applied =
        store.applyOperations(List.of(BdOperation.depRemove(a.id(), b.id(), AT)), AGENT);

    assertThat(store.get(a.id()).dependencies()).isEmpty();
    assertThat(store.loadEngine().isBlocked(a.id())).isFalse();
    assertThat(applied.removed()).containsExactly(new Edge(a.id(), b.id(), "blocks", null));
    assertThat(applied.added()).isEmpty();
    assertThat(applied.touched()).containsExactly(a.id());
    assertThat(store.history(a.id()))
        .extracting(HistoryEntry::event, HistoryEntry::from, HistoryEntry::actor)
        .contains(tuple("dependency_removed", "blocks " + b.id(), AGENT));

    OperationsRefusedException refused =
        refusal(List.of(BdOperation.depRemove(a.id(), b.id(), AT)));
    assertThat(refused.index()).isZero();
    assertThat(refused.getMessage())
        .isEqualTo(
            "operation 0 (dep-remove proj-a1 -> proj-b1): no dependency from proj-a1 on proj-b1");
  }

  @Test
  void edgesAddedAndRemovedAreNetOfTheWholeSet() {
    Bead a = existing("proj-a1", "a");
    Bead b = existing("proj-b1", "b");
    Bead c = existing("proj-c1", "c");
    store.addDependency(a.id(), b.id(), "blocks", "alice");

    AppliedOperations applied =
        store.applyOperations(
            List.of(
                BdOperation.depAdd(a.id(), c.id(), null, AT),
                BdOperation.depRemove(a.id(), c.id(), AT),
                BdOperation.depAdd(a.id(), b.id(), "related", AT)),
            AGENT);

    assertThat(applied.added()).containsExactly(new Edge(a.id(), b.id(), "related", null));
    assertThat(applied.removed()).containsExactly(new Edge(a.id(), b.id(), "blocks", null));
    assertThat(store.loadEngine().isBlocked(a.id())).isFalse();
  }

  @Test
  void updateChangesFieldsAndAppendsNotesOnANewLine() {
    Bead bead = existing("proj-u1", "before");
    store.update(
        bead.id(),
        new BeadUpdate(null, null, null, null, null, null, null, "first", null),
        "alice");

    AppliedOperations applied =
        store.applyOperations(
            List.of(
                BdOperation.update(
                    bead.id(),
                    "after",
                    "new description",
                    "new design",
                    0,
                    Statuses.IN_PROGRESS,
                    null,
                    "second",
                    null,
                    null,
                    AT)),
            AGENT);

    Bead updated = store.get(bead.id());
    assertThat(updated.title()).isEqualTo("after");
    assertThat(updated.text("description")).isEqualTo("new description");
    assertThat(updated.text("design")).isEqualTo("new design");
    assertThat(updated.priority()).isZero();
    assertThat(updated.status()).isEqualTo(Statuses.IN_PROGRESS);
    assertThat(updated.text("notes")).isEqualTo("first\nsecond");
    assertThat(applied.touched()).containsExactly(bead.id());
    assertThat(store.history(bead.id()))
        .extracting(HistoryEntry::event, HistoryEntry::actor)
        .contains(tuple("status", AGENT), tuple("title", AGENT), tuple("priority", AGENT));

    store.applyOperations(List.of(notes(bead.id(), "replaced")), AGENT);
    assertThat(store.get(bead.id()).text("notes")).isEqualTo("replaced");
  }

  @Test
  void updateToClosedFollowsTheStoresStatusRules() {
    Bead bead = existing("proj-u1", "work");

    store.applyOperations(List.of(status(bead.id(), Statuses.CLOSED)), AGENT);

    Bead closed = store.get(bead.id());
    assertThat(closed.isClosed()).isTrue();
    assertThat(closed.text("closed_at")).isEqualTo("2026-11-21T12:00:00Z");
  }

  @Test
  void unknownStatusesAreRefusedUnlessConfiguredAsCustom() {
    Bead bead = existing("proj-u1", "work");

    assertThat(refusal(List.of(status(bead.id(), "review"))).reason())
        .startsWith("invalid status 'review'");
    assertThat(refusal(List.of(status(bead.id(), Statuses.TOMBSTONE)))).isNotNull();

    store.setConfig("status.custom", "review, qa");
    store.applyOperations(List.of(status(bead.id(), "review")), AGENT);
    assertThat(store.get(bead.id()).status()).isEqualTo("review");
  }

  @Test
  void labelsAreAddedAndRemovedInTheBeadAndTheLabelIndex() {
    Bead bead =
        store.create(
            new NewBead(
                "x", null, null, 2, List.of("old", "keep"), null, List.of(), "proj-l1", null),
            "alice");

    AppliedOperations applied =
        store.applyOperations(
            List.of(labels(bead.id(), List.of("new", "keep"), List.of("old", "never-there"))),
            AGENT);

    assertThat(store.get(bead.id()).labels()).containsExactly("keep", "new");
    assertThat(labelRows(bead.id())).containsExactly("keep", "new");
    assertThat(store.list(new BeadFilter(null, List.of("new"), null, null, null)))
        .extracting(Bead::id)
        .containsExactly(bead.id());
    assertThat(store.list(new BeadFilter(null, List.of("old"), null, null, null))).isEmpty();
    assertThat(store.history(bead.id()))
        .extracting(HistoryEntry::event, HistoryEntry::from, HistoryEntry::to)
        .contains(tuple("label_added", null, "new"), tuple("label_removed", "old", null))
        .doesNotContain(tuple("label_added", null, "keep"));
    assertThat(applied.touched()).containsExactly(bead.id());
  }

  List<String> labelRows(String id) {
    return store.read(
        c ->
            Sql.query(
                c,
                "SELECT label FROM labels WHERE issue_id = ? ORDER BY label",
                rs -> rs.getString(1),
                id));
  }

  @Test
  void commentIsStoredInTheBeadAndTheCommentIndexAndExported() throws IOException {
    Bead bead = existing("proj-c1", "discuss");

    store.applyOperations(List.of(BdOperation.comment(bead.id(), "found the cause", AT)), AGENT);

    List<ObjectNode> comments = store.get(bead.id()).comments();
    assertThat(comments).hasSize(1);
    ObjectNode comment = comments.get(0);
    assertThat(comment.get("issue_id").asText()).isEqualTo(bead.id());
    assertThat(comment.get("author").asText()).isEqualTo(AGENT);
    assertThat(comment.get("text").asText()).isEqualTo("found the cause");
    assertThat(comment.get("created_at").asText()).isEqualTo("2026-11-21T12:00:00Z");
    assertThat(comment.get("id").isTextual()).isTrue();
    List<String> rows =
        store.read(
            c ->
                Sql.query(
                    c,
                    "SELECT comment_id || ' ' || author || ' ' || text FROM comments WHERE issue_id = ?",
                    rs -> rs.getString(1),
                    bead.id()));
    assertThat(rows).containsExactly(comment.get("id").asText() + " worker-1 found the cause");
    assertThat(export()).contains("\"comment_count\":1").contains("found the cause");
    assertThat(store.history(bead.id()))
        .extracting(HistoryEntry::event, HistoryEntry::actor)
        .contains(tuple("commented", AGENT));
  }

  @Test
  void metadataKeysAreMergedIntoTheBeadsMetadataObject() {
    Bead bead = existing("proj-m1", "tracked");

    store.applyOperations(
        List.of(
            BdOperation.metadata(bead.id(), json("{\"branch\":\"bp/x\",\"phase\":\"plan\"}"), AT),
            BdOperation.metadata(bead.id(), json("{\"phase\":\"build\",\"commit\":\"abc\"}"), AT)),
        AGENT);

    assertThat(store.get(bead.id()).field("metadata"))
        .isEqualTo(json("{\"branch\":\"bp/x\",\"phase\":\"build\",\"commit\":\"abc\"}"));

    store.applyOperations(
        List.of(BdOperation.metadata(bead.id(), json("{\"branch\":null}"), AT)), AGENT);
    assertThat(store.get(bead.id()).field("metadata"))
        .isEqualTo(json("{\"phase\":\"build\",\"commit\":\"abc\"}"));
  }

  @Test
  void metadataHeldAsAJsonStringIsMergedAndStaysAString() throws IOException {
    Path input = dir.resolve("in.jsonl");
    Files.writeString(
        input,
        "{\"id\":\"proj-s1\",\"title\":\"t\",\"created_at\":\"2026-01-01T00:00:00Z\","
            + "\"updated_at\":\"2026-01-01T00:00:00Z\",\"metadata\":\"{\\\"a\\\":1}\"}\n"
            + "{\"id\":\"proj-s2\",\"title\":\"t\",\"created_at\":\"2026-01-01T00:00:00Z\","
            + "\"updated_at\":\"2026-01-01T00:00:00Z\",\"metadata\":[1,2]}\n");
    store.importFile(input, "test", null);

    store.applyOperations(List.of(BdOperation.metadata("proj-s1", json("{\"b\":2}"), AT)), AGENT);

    assertThat(store.get("proj-s1").field("metadata").asText()).isEqualTo("{\"a\":1,\"b\":2}");
    assertThat(refusal(List.of(BdOperation.metadata("proj-s2", json("{\"b\":2}"), AT))).reason())
        .contains("not a JSON object");
  }

  // ---- refusals --------------------------------------------------------------------------------

  @Test
  void aCycleInTheMiddleRefusesTheWholeSetAndLeavesTheStoreAsItWas() throws IOException {
    Bead a = existing("proj-a1", "a");
    Bead b = existing("proj-b1", "b");
    store.addDependency(a.id(), b.id(), "blocks", "alice");
    String exported = export();
    String rows = dump();
    long revision = store.revision();

    OperationsRefusedException refused =
        refusal(
            List.of(
                create("proj-a1.1", "child", a.id()),
                labels(b.id(), List.of("l"), null),
                BdOperation.comment(b.id(), "hello", AT),
                BdOperation.metadata(b.id(), json("{\"k\":1}"), AT),
                BdOperation.depAdd(b.id(), a.id(), "blocks", AT),
                BdOperation.close(a.id(), null, AT)));

    assertThat(refused.index()).isEqualTo(4);
    assertThat(refused.operation().op()).isEqualTo(BdOperation.DEP_ADD);
    assertThat(refused.getMessage())
        .startsWith("operation 4 (dep-add proj-b1 -> proj-a1): ")
        .contains("cycle")
        .contains("proj-b1 -> proj-a1 -> proj-b1");
    assertThat(export()).isEqualTo(exported);
    assertThat(dump()).isEqualTo(rows);
    assertThat(store.revision()).isEqualTo(revision);
    // nothing in memory either: the refused child number is free again
    assertThat(store.create(childOf(a.id()), "alice").id()).isEqualTo("proj-a1.1");
  }

  @Test
  void aRefusalInsideTheCallersTransactionKeepsTheCallersOwnWrites() {
    Bead a = existing("proj-a1", "a");
    Bead b = existing("proj-b1", "b");
    store.addDependency(a.id(), b.id(), "blocks", "alice");
    long revision = store.revision();

    String reason =
        store.batch(
            () -> {
              store.update(a.id(), BeadUpdate.NONE.withStatus(Statuses.IN_PROGRESS), "beadpool");
              try {
                store.applyOperations(
                    List.of(
                        create("proj-new", "new", null),
                        notes(b.id(), "agent notes"),
                        BdOperation.depAdd(b.id(), a.id(), null, AT)),
                    AGENT);
                return null;
              } catch (OperationsRefusedException e) {
                store.setConfig("last_refusal", e.reason());
                return e.reason();
              }
            });

    assertThat(reason).contains("cycle");
    assertThat(store.get(a.id()).status()).isEqualTo(Statuses.IN_PROGRESS);
    assertThat(store.config("last_refusal")).contains(reason);
    assertThat(store.find("proj-new")).isEmpty();
    assertThat(store.get(b.id()).text("notes")).isNull();
    assertThat(store.history(b.id())).extracting(HistoryEntry::actor).doesNotContain(AGENT);
    assertThat(store.revision()).isEqualTo(revision + 1);
  }

  @Test
  void appliedInsideTheCallersTransactionBothCommitTogether() {
    Bead a = existing("proj-a1", "a");
    long revision = store.revision();

    AppliedOperations applied =
        store.batch(
            () -> {
              store.update(a.id(), BeadUpdate.NONE.withStatus(Statuses.IN_PROGRESS), "beadpool");
              return store.applyOperations(List.of(create("proj-new", "new", a.id())), AGENT);
            });

    assertThat(applied.renamed()).containsEntry("proj-new", "proj-a1.1");
    assertThat(store.get(a.id()).status()).isEqualTo(Statuses.IN_PROGRESS);
    assertThat(store.get("proj-a1.1").parent()).isEqualTo(a.id());
    assertThat(store.revision()).isEqualTo(revision + 1);
  }

  @Test
  void aCallerThatDoesNotCatchTheRefusalLosesItsOwnWritesToo() {
    Bead a = existing("proj-a1", "a");
    String rows = dump();

    assertThatThrownBy(
            () ->
                store.batch(
                    () -> {
                      store.update(a.id(), BeadUpdate.NONE.withStatus(Statuses.IN_PROGRESS), "x");
                      return store.applyOperations(List.of(notes("proj-nope", "n")), AGENT);
                    }))
        .isInstanceOf(OperationsRefusedException.class);
    assertThat(dump()).isEqualTo(rows);
  }

  @Test
  void aSetOnItsOwnCommitsOnceOrNotAtAll() {
    Bead a = existing("proj-a1", "a");
    long revision = store.revision();

    store.applyOperations(List.of(notes(a.id(), "one"), notes(a.id(), "two")), AGENT);
    assertThat(store.revision()).isEqualTo(revision + 1);

    String rows = dump();
    refusal(List.of(notes(a.id(), "three"), priority(a.id(), 9)));
    assertThat(dump()).isEqualTo(rows);
    assertThat(store.get(a.id()).text("notes")).isEqualTo("two");
  }

  @Test
  void anUnknownBeadIsRefusedWithItsId() {
    existing("proj-a1", "a");

    OperationsRefusedException refused =
        refusal(
            List.of(
                notes("proj-a1", "fine"), BdOperation.depAdd("proj-a1", "proj-nope", null, AT)));

    assertThat(refused.index()).isEqualTo(1);
    assertThat(refused.reason()).isEqualTo("no issue found matching proj-nope");
    assertThat(store.get("proj-a1").text("notes")).isNull();
    assertThat(refusal(List.of(BdOperation.comment("proj-zz", "x", AT))).reason())
        .contains("proj-zz");
    assertThat(refusal(List.of(create("proj-c1", "child", "proj-nope"))).reason())
        .contains("proj-nope");
  }

  @Test
  void aBadPriorityIsRefusedInCreatesAndUpdates() {
    existing("proj-a1", "a");

    OperationsRefusedException onUpdate = refusal(List.of(priority("proj-a1", 7)));
    assertThat(onUpdate.getMessage())
        .isEqualTo("operation 0 (update proj-a1): priority must be 0..4 (P0..P4), was 7");

    OperationsRefusedException onCreate =
        refusal(
            List.of(
                BdOperation.create("proj-x1", "t", null, null, null, -1, null, null, null, AT)));
    assertThat(onCreate.reason()).contains("priority must be 0..4").contains("-1");
    assertThat(store.find("proj-x1")).isEmpty();
    assertThat(store.get("proj-a1").priority()).isEqualTo(2);
  }

  @Test
  void missingFieldsAndUnknownKindsAreRefused() {
    existing("proj-a1", "a");
    BdOperation unknown =
        new BdOperation(
            "delete", "proj-a1", null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, AT);

    assertThat(refusal(List.of(unknown)).reason()).startsWith("unknown operation 'delete'");
    assertThat(refusal(List.of(create("proj-x1", " ", null))).reason())
        .isEqualTo("required field 'title' is missing");
    assertThat(refusal(List.of(BdOperation.depAdd("proj-a1", null, null, AT))).reason())
        .isEqualTo("required field 'dependsOn' is missing");
    assertThat(refusal(List.of(BdOperation.comment("proj-a1", "", AT))).reason())
        .isEqualTo("required field 'text' is missing");
    assertThat(refusal(List.of(BdOperation.metadata("proj-a1", null, AT))).reason())
        .isEqualTo("required field 'metadata' is missing");
    assertThat(refusal(List.of(BdOperation.close(null, null, AT))).reason())
        .isEqualTo("required field 'id' is missing");
    assertThat(refusal(List.of(notes("proj-a1", null))).reason()).startsWith("nothing to update");
    assertThat(
            refusal(
                    List.of(
                        BdOperation.create(
                            "proj-x1", "t", null, null, null, null, List.of(" "), null, null, AT)))
                .reason())
        .isEqualTo("a label must not be empty");
    assertThat(
            refusal(
                    List.of(
                        BdOperation.update(
                            "proj-a1", null, null, null, null, null, "a", "b", null, null, AT)))
                .reason())
        .contains("not both");
  }

  @Test
  void closingAClosedOrBlockedBeadIsRefused() {
    Bead a = existing("proj-a1", "a");
    Bead b = existing("proj-b1", "b");
    store.addDependency(a.id(), b.id(), "blocks", "alice");
    store.close(b.id(), null, false, "alice");

    assertThat(refusal(List.of(BdOperation.close(b.id(), "again", AT))).reason())
        .isEqualTo("proj-b1 is already closed");

    store.update(b.id(), BeadUpdate.NONE.withStatus(Statuses.OPEN), "alice");
    assertThat(refusal(List.of(BdOperation.close(a.id(), null, AT))).reason())
        .contains("blocked by open issues [proj-b1]");
  }

  @Test
  void depsOfACreateFollowTheStoresEdgeRules() {
    Bead parent = existing("proj-p1", "parent");
    existing("proj-g1", "other");

    assertThat(refusal(List.of(create("proj-p1.1", "c", parent.id(), parent.id()))).reason())
        .contains("one edge per pair");
    assertThat(
            refusal(List.of(create("proj-x1", "c", null, "proj-g1", "related:proj-g1"))).reason())
        .contains("one edge per pair");
    store.create(childOf(parent.id()), "alice");
    assertThat(refusal(List.of(create(null, "grandchild", "proj-p1.1", "proj-p1"))).reason())
        .contains("its own ancestor proj-p1");
    assertThat(refusal(List.of(create("proj-x1", "c", null, ":proj-g1"))).reason())
        .contains("not found");
    assertThat(
            refusal(List.of(create("proj-a1", "a", null), create("proj-a1", "b", null))).reason())
        .contains("creates proj-a1 twice");
  }
}
