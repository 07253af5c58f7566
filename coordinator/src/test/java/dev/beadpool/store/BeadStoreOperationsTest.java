package dev.beadpool.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Statuses;
import dev.beadpool.graph.ReadyEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

class BeadStoreOperationsTest extends StoreOnFixedClock {
  Bead create(String title) {
    return store.create(NewBead.titled(title), "alice");
  }

  @Test
  void createdBeadHasBdShapedIdAndFields() {
    Bead bead =
        store.create(
            new NewBead(
                "Fix login", "desc", "bug", 1, List.of("backend"), null, List.of(), null, null),
            "alice");

    assertThat(bead.id()).matches("proj-[0-9a-z]{3}");
    assertThat(bead.status()).isEqualTo(Statuses.OPEN);
    assertThat(bead.issueType()).isEqualTo("bug");
    assertThat(bead.priority()).isEqualTo(1);
    assertThat(bead.labels()).containsExactly("backend");
    assertThat(bead.text("created_by")).isEqualTo("alice");
    assertThat(store.get(bead.id())).isEqualTo(bead);
    assertThat(store.history(bead.id())).extracting(HistoryEntry::event).containsExactly("created");
  }

  @Test
  void childrenGetDottedIdsAndAParentEdge() {
    Bead parent = create("Epic");
    Bead first =
        store.create(
            new NewBead("one", null, null, 2, List.of(), parent.id(), List.of(), null, null), "a");
    Bead second =
        store.create(
            new NewBead("two", null, null, 2, List.of(), parent.id(), List.of(), null, null), "a");

    assertThat(first.id()).isEqualTo(parent.id() + ".1");
    assertThat(second.id()).isEqualTo(parent.id() + ".2");
    assertThat(second.parent()).isEqualTo(parent.id());
    assertThat(store.list(new BeadFilter(null, null, null, null, parent.id())))
        .extracting(Bead::id)
        .containsExactly(first.id(), second.id());
  }

  @Test
  void createWithDepsBlocksOnTheTargets() {
    Bead blocker = create("first");
    Bead blocked =
        store.create(
            new NewBead(
                "second", null, null, 2, List.of(), null, List.of(blocker.id()), null, null),
            "a");

    ReadyEngine engine = store.loadEngine();
    assertThat(engine.isBlocked(blocked.id())).isTrue();
    assertThatThrownBy(
            () ->
                store.create(
                    new NewBead(
                        "x", null, null, 2, List.of(), null, List.of("proj-nope"), null, null),
                    "a"))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("proj-nope not found");
  }

  @Test
  void secondClaimByAnotherActorFailsWithTheHolder() {
    Bead bead = create("work");

    Bead claimed = store.claim(bead.id(), "worker-1");
    assertThat(claimed.status()).isEqualTo(Statuses.IN_PROGRESS);
    assertThat(claimed.assignee()).isEqualTo("worker-1");
    assertThat(claimed.text("started_at")).isEqualTo("2026-11-21T12:00:00Z");
    assertThat(store.claim(bead.id(), "worker-1")).isEqualTo(claimed);

    assertThatThrownBy(() -> store.claim(bead.id(), "worker-2"))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("already claimed by worker-1");
    assertThat(store.get(bead.id()).assignee()).isEqualTo("worker-1");
  }

  @Test
  void closedBeadIsNotClaimable() {
    Bead bead = create("work");
    store.close(bead.id(), null, false, "alice");
    assertThatThrownBy(() -> store.claim(bead.id(), "w"))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("not claimable: status closed");
  }

  @Test
  void closeSetsReasonAndTimestampAndReleasesDependents() {
    Bead blocker = create("first");
    Bead blocked = create("second");
    store.addDependency(blocked.id(), blocker.id(), "blocks", "alice");

    assertThatThrownBy(() -> store.close(blocked.id(), "done", false, "alice"))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("blocked by open issues [" + blocker.id() + "]");

    Bead closed = store.close(blocker.id(), "Shipped", false, "alice");
    assertThat(closed.status()).isEqualTo(Statuses.CLOSED);
    assertThat(closed.text("close_reason")).isEqualTo("Shipped");
    assertThat(closed.text("closed_at")).isEqualTo("2026-11-21T12:00:00Z");
    assertThat(store.close(blocker.id(), "again", false, "bob")).isEqualTo(closed);
    assertThat(store.loadEngine().isBlocked(blocked.id())).isFalse();
    assertThat(store.history(blocker.id()))
        .extracting(HistoryEntry::event, HistoryEntry::from, HistoryEntry::to, HistoryEntry::actor)
        .contains(org.assertj.core.groups.Tuple.tuple("status", "open", "closed", "alice"));
  }

  @Test
  void epicWithOpenChildrenClosesOnlyWhenForced() {
    Bead epic =
        store.create(
            new NewBead("Epic", null, "epic", 2, List.of(), null, List.of(), null, null), "a");
    store.create(
        new NewBead("child", null, null, 2, List.of(), epic.id(), List.of(), null, null), "a");

    assertThatThrownBy(() -> store.close(epic.id(), null, false, "a"))
        .hasMessageContaining("1 open child");
    assertThat(store.close(epic.id(), null, true, "a").isClosed()).isTrue();
  }

  @Test
  void depAddThatClosesACycleIsRefusedAndChangesNothing() {
    Bead a = create("a");
    Bead b = create("b");
    store.addDependency(a.id(), b.id(), "blocks", "x");
    Bead bBefore = store.get(b.id());

    assertThatThrownBy(() -> store.addDependency(b.id(), a.id(), "blocks", "x"))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining(b.id() + " -> " + a.id() + " -> " + b.id());
    assertThat(store.get(b.id())).isEqualTo(bBefore);
  }

  @Test
  void depAddRefusesUnknownSelfAndOwnParent() {
    Bead a = create("a");
    Bead child =
        store.create(
            new NewBead("c", null, null, 2, List.of(), a.id(), List.of(), null, null), "x");
    assertThatThrownBy(() -> store.addDependency(a.id(), "proj-zzz", "blocks", "x"))
        .isInstanceOf(BeadNotFoundException.class);
    assertThatThrownBy(() -> store.addDependency(a.id(), a.id(), "blocks", "x"))
        .hasMessageContaining("itself");
    assertThatThrownBy(() -> store.addDependency(child.id(), a.id(), "blocks", "x"))
        .hasMessageContaining("already a child of");
  }

  @Test
  void depRemoveUnblocks() {
    Bead a = create("a");
    Bead b = create("b");
    store.addDependency(a.id(), b.id(), "blocks", "x");
    store.removeDependency(a.id(), b.id(), "x");
    assertThat(store.get(a.id()).dependencies()).isEmpty();
    assertThat(store.loadEngine().isBlocked(a.id())).isFalse();
    assertThatThrownBy(() -> store.removeDependency(a.id(), b.id(), "x"))
        .isInstanceOf(RefusedException.class);
  }

  @Test
  void updateChangesFieldsAndAppendsNotes() {
    Bead bead = create("a");
    store.update(
        bead.id(), new BeadUpdate(null, null, 0, null, null, null, null, "first", null), "x");
    Bead updated =
        store.update(
            bead.id(),
            new BeadUpdate(
                Statuses.IN_PROGRESS, "bob", null, null, null, null, null, null, "second"),
            "x");

    assertThat(updated.priority()).isZero();
    assertThat(updated.text("notes")).isEqualTo("first\nsecond");
    assertThat(updated.assignee()).isEqualTo("bob");
    assertThat(updated.status()).isEqualTo(Statuses.IN_PROGRESS);

    Bead closed = store.update(bead.id(), BeadUpdate.NONE.withStatus(Statuses.CLOSED), "x");
    assertThat(closed.text("closed_at")).isNotNull();
    Bead reopened = store.update(bead.id(), BeadUpdate.NONE.withStatus(Statuses.OPEN), "x");
    assertThat(reopened.text("closed_at")).isNull();
  }

  @Test
  void notesAndAppendedNotesTogetherAreRefusedAndChangeNothing() {
    Bead bead = create("a");
    store.update(
        bead.id(), new BeadUpdate(null, null, null, null, null, null, null, "first", null), "x");

    assertThatThrownBy(
            () ->
                store.update(
                    bead.id(),
                    new BeadUpdate(null, null, null, null, null, null, null, "new", "more"),
                    "x"))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("cannot specify both --notes and --append-notes");
    assertThat(store.get(bead.id()).text("notes")).isEqualTo("first");
  }

  @Test
  void unknownIdsAreNotFound() {
    assertThatThrownBy(() -> store.close("proj-nope", null, false, "x"))
        .isInstanceOf(BeadNotFoundException.class);
    assertThatThrownBy(() -> store.claim("proj-nope", "x"))
        .isInstanceOf(BeadNotFoundException.class);
  }
}
