package dev.beadpool.bead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beadpool.testhelper.Beads;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BeadEditsTest {
  static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");
  static final String STAMP = "2026-11-29T08:00:00Z";

  static Bead bead(String extra) {
    return Beads.of(
        "{\"id\":\"bd-1\",\"title\":\"T\",\"status\":\"open\",\"priority\":2,"
            + "\"issue_type\":\"task\",\"created_at\":\"2026-01-01T00:00:00Z\","
            + "\"updated_at\":\"2026-01-01T00:00:00Z\""
            + extra
            + "}");
  }

  static FieldChanges changes(
      String status, String notes, String appendNotes, FieldChanges.AppendTo to) {
    return new FieldChanges(
        status, null, null, null, null, null, null, notes, appendNotes, to, null, null);
  }

  static Bead update(Bead before, FieldChanges changes) throws BeadFormatException {
    return BeadEdits.finish(BeadEdits.update(before.edit(), before, changes, NOW), NOW);
  }

  @Test
  void closingStampsClosedAtAndTheReason() {
    Bead before = bead("");

    Bead after = BeadEdits.close(before.edit(), before, "done", NOW).build();

    assertThat(after.status()).isEqualTo(Statuses.CLOSED);
    assertThat(after.text("closed_at")).isEqualTo(STAMP);
    assertThat(after.text("close_reason")).isEqualTo("done");
  }

  @Test
  void aBlankCloseReasonIsBdsDefault() {
    Bead before = bead("");

    assertThat(BeadEdits.close(before.edit(), before, " ", NOW).build().text("close_reason"))
        .isEqualTo(BeadEdits.DEFAULT_CLOSE_REASON);
    assertThat(BeadEdits.close(before.edit(), before, null, NOW).build().text("close_reason"))
        .isEqualTo("Closed");
  }

  @Test
  void reopeningClearsClosedAtAndTheReason() {
    Bead closed =
        bead(",\"closed_at\":\"2026-02-01T00:00:00Z\",\"close_reason\":\"x\"")
            .edit()
            .text("status", Statuses.CLOSED)
            .build();

    Bead after = BeadEdits.status(closed.edit(), closed, Statuses.OPEN, NOW).build();

    assertThat(after.status()).isEqualTo(Statuses.OPEN);
    assertThat(after.text("closed_at")).isNull();
    assertThat(after.text("close_reason")).isNull();
  }

  @Test
  void anOpenBeadThatStillCarriesClosedAtKeepsItWhenItsStatusChanges() {
    // why: bd's older trackers hold such beads; only a closed bead's reopening clears closed_at
    Bead reopenedByHand = bead(",\"closed_at\":\"2026-02-01T00:00:00Z\"");

    Bead after =
        BeadEdits.status(reopenedByHand.edit(), reopenedByHand, Statuses.BLOCKED, NOW).build();

    assertThat(after.text("closed_at")).isEqualTo("2026-02-01T00:00:00Z");
  }

  @Test
  void startedAtIsStampedOnlyTheFirstTimeInProgress() {
    Bead before = bead("");
    Bead started = BeadEdits.status(before.edit(), before, Statuses.IN_PROGRESS, NOW).build();
    assertThat(started.text("started_at")).isEqualTo(STAMP);

    Bead again =
        BeadEdits.status(started.edit(), started, Statuses.IN_PROGRESS, NOW.plusSeconds(60))
            .build();
    assertThat(again.text("started_at")).isEqualTo(STAMP);
  }

  @Test
  void aStatusIsRequired() {
    Bead before = bead("");

    assertThatThrownBy(() -> BeadEdits.status(before.edit(), before, null, NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bd-1");
  }

  @Test
  void aClaimAssignsTheActorAndStartsTheBead() {
    Bead before = bead("");

    Bead after = BeadEdits.claim(before.edit(), before, "w-1", NOW).build();

    assertThat(after.assignee()).isEqualTo("w-1");
    assertThat(after.status()).isEqualTo(Statuses.IN_PROGRESS);
    assertThat(after.text("started_at")).isEqualTo(STAMP);
  }

  @Test
  void aReleaseOpensTheBeadAndDropsTheAssignee() {
    Bead claimed = BeadEdits.claim(bead("").edit(), bead(""), "w-1", NOW).build();

    Bead after = BeadEdits.release(claimed.edit(), claimed, NOW).build();

    assertThat(after.assignee()).isNull();
    assertThat(after.status()).isEqualTo(Statuses.OPEN);
    assertThat(after.text("started_at")).isEqualTo(STAMP);
  }

  @Test
  void anUpdateToTheSameStatusStampsNothing() throws BeadFormatException {
    Bead before = bead("");

    Bead after =
        update(before, changes(Statuses.OPEN, null, null, FieldChanges.AppendTo.NOTES_SET));

    assertThat(after.text("closed_at")).isNull();
    assertThat(after.text("started_at")).isNull();
    assertThat(after.text("updated_at")).isEqualTo(STAMP);
  }

  @Test
  void anUpdateChangesTheGivenFieldsAndClearsEmptyOnes() throws BeadFormatException {
    Bead before = bead(",\"design\":\"old design\"");
    FieldChanges changes =
        new FieldChanges(
            Statuses.CLOSED,
            "alice",
            0,
            "New title",
            "what",
            "",
            "it works",
            null,
            null,
            FieldChanges.AppendTo.NOTES_SET,
            null,
            null);

    Bead after = update(before, changes);

    assertThat(after.status()).isEqualTo(Statuses.CLOSED);
    assertThat(after.text("closed_at")).isEqualTo(STAMP);
    assertThat(after.assignee()).isEqualTo("alice");
    assertThat(after.priority()).isZero();
    assertThat(after.title()).isEqualTo("New title");
    assertThat(after.text("description")).isEqualTo("what");
    assertThat(after.text("design")).isNull();
    assertThat(after.text("acceptance_criteria")).isEqualTo("it works");
  }

  @Test
  void appendedNotesGoOnALineOfTheirOwn() throws BeadFormatException {
    Bead none = bead("");
    Bead some = bead(",\"notes\":\"first\"");
    FieldChanges append = changes(null, null, "second", FieldChanges.AppendTo.NOTES_SET);

    assertThat(update(none, append).text("notes")).isEqualTo("second");
    assertThat(update(some, append).text("notes")).isEqualTo("first\nsecond");
  }

  @Test
  void notesAndAppendedNotesTogetherAppendToTheChosenNotes() throws BeadFormatException {
    Bead before = bead(",\"notes\":\"old\"");

    assertThat(
            update(before, changes(null, "new", "more", FieldChanges.AppendTo.NOTES_SET))
                .text("notes"))
        .isEqualTo("new\nmore");
    assertThat(
            update(before, changes(null, "new", "more", FieldChanges.AppendTo.NOTES_BEFORE))
                .text("notes"))
        .isEqualTo("old\nmore");
  }

  @Test
  void labelsAreAddedAtTheEndThenRemoved() throws BeadFormatException {
    Bead before = bead(",\"labels\":[\"a\",\"b\"]");
    FieldChanges changes =
        new FieldChanges(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            FieldChanges.AppendTo.NOTES_SET,
            List.of("c", "a"),
            List.of("b", "absent"));

    assertThat(update(before, changes).labels()).containsExactly("a", "c");
    assertThat(BeadEdits.relabel(List.of("x"), null, null)).containsExactly("x");
  }

  @Test
  void anUpdateThatBreaksAFieldIsRefusedWhenFinished() {
    Bead before = bead("");
    FieldChanges changes =
        new FieldChanges(
            null,
            null,
            7,
            null,
            null,
            null,
            null,
            null,
            null,
            FieldChanges.AppendTo.NOTES_SET,
            null,
            null);

    assertThatThrownBy(() -> update(before, changes))
        .isInstanceOf(BeadFormatException.class)
        .hasMessageContaining("priority");
  }

  @Test
  void changesNeedToSayWhereAppendedNotesGo() {
    assertThatThrownBy(() -> changes(null, null, "x", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("appendTo");
  }

  @Test
  void aNewDependencyReplacesTheEdgeToTheSameTargetAndGoesLast() {
    Bead before =
        bead(
            ",\"dependencies\":["
                + "{\"issue_id\":\"bd-1\",\"depends_on_id\":\"bd-2\",\"type\":\"blocks\","
                + "\"created_at\":\"2026-01-01T00:00:00Z\"},"
                + "{\"issue_id\":\"bd-1\",\"depends_on_id\":\"bd-3\",\"type\":\"blocks\","
                + "\"created_at\":\"2026-01-01T00:00:00Z\"}]");
    Dependency related = Dependency.create("bd-1", "bd-2", "related", STAMP, "alice");

    Bead after = BeadEdits.addDependency(before.edit(), before, related).build();

    assertThat(after.dependencies())
        .extracting(Dependency::dependsOnId, Dependency::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("bd-3", "blocks"),
            org.assertj.core.groups.Tuple.tuple("bd-2", "related"));
  }

  @Test
  void aDependencyRefIsATargetOrATypeAndATarget() {
    assertThat(DependencyRef.parse("bd-2")).isEqualTo(new DependencyRef("blocks", "bd-2"));
    assertThat(DependencyRef.parse("related:bd-2")).isEqualTo(new DependencyRef("related", "bd-2"));
    assertThat(DependencyRef.parse(":bd-2")).isEqualTo(new DependencyRef("blocks", ":bd-2"));
  }
}
