package dev.beadpool.bead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

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

  /** A status and notes to change, the rest left as it is. */
  record Changes(String status, String notes, String appendNotes) implements FieldChanges {
    static Changes status(String status) {
      return new Changes(status, null, null);
    }

    static Changes notes(String notes, String appendNotes) {
      return new Changes(null, notes, appendNotes);
    }
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
    Bead closed = BeadEdits.close(bead("").edit(), bead(""), "x", NOW).build();

    Bead after = BeadEdits.status(closed.edit(), closed, Statuses.OPEN, NOW).build();

    assertThat(after.status()).isEqualTo(Statuses.OPEN);
    assertThat(after.text("closed_at")).isNull();
    assertThat(after.text("close_reason")).isNull();
  }

  @Test
  void anOpenBeadThatStillCarriesClosedAtKeepsItWhenItsStatusChanges() {
    // why: older trackers hold such beads; only a closed bead's reopening clears closed_at
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
    Bead after = update(bead(""), Changes.status(Statuses.OPEN));

    assertThat(after.text("closed_at")).isNull();
    assertThat(after.text("started_at")).isNull();
    assertThat(after.text("updated_at")).isEqualTo(STAMP);
  }

  @Test
  void anUnknownStatusIsTheCallersToRefuseNotTheRules() throws BeadFormatException {
    // why: custom statuses are legal in bd; which ones a tracker allows is the caller's check
    assertThat(update(bead(""), Changes.status("review")).status()).isEqualTo("review");
  }

  @Test
  void anUpdateChangesTheGivenFieldsAndClearsEmptyOnes() throws BeadFormatException {
    Bead before = bead(",\"design\":\"old design\"");
    FieldChanges changes =
        new FieldChanges() {
          @Override
          public String status() {
            return Statuses.CLOSED;
          }

          @Override
          public String assignee() {
            return "alice";
          }

          @Override
          public Integer priority() {
            return 0;
          }

          @Override
          public String title() {
            return "New title";
          }

          @Override
          public String description() {
            return "what";
          }

          @Override
          public String design() {
            return "";
          }

          @Override
          public String acceptanceCriteria() {
            return "it works";
          }
        };

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
  void noChangesOnlyStampTheBead() throws BeadFormatException {
    Bead before = bead(",\"notes\":\"old\",\"labels\":[\"a\"]");

    Bead after = update(before, new FieldChanges() {});

    assertThat(after.fieldsOnly()).isEqualTo(before.edit().touch(NOW).build().fieldsOnly());
  }

  @Test
  void appendedNotesGoOnALineOfTheirOwn() throws BeadFormatException {
    FieldChanges append = Changes.notes(null, "second");

    assertThat(update(bead(""), append).text("notes")).isEqualTo("second");
    assertThat(update(bead(",\"notes\":\"first\""), append).text("notes"))
        .isEqualTo("first\nsecond");
  }

  @Test
  void notesAndAppendedNotesTogetherAreRefusedAsBdRefusesThem() {
    Bead before = bead(",\"notes\":\"old\"");

    assertThat(BeadEdits.notesRefusal("new", "more"))
        .startsWith("cannot specify both --notes and --append-notes");
    assertThat(BeadEdits.notesRefusal("new", null)).isNull();
    assertThat(BeadEdits.notesRefusal(null, "more")).isNull();
    assertThatThrownBy(() -> update(before, Changes.notes("new", "more")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot specify both --notes and --append-notes");
  }

  @Test
  void labelsAreAddedAtTheEndThenRemoved() throws BeadFormatException {
    Bead before = bead(",\"labels\":[\"a\",\"b\"]");
    FieldChanges changes =
        new FieldChanges() {
          @Override
          public List<String> addLabels() {
            return List.of("c", "a");
          }

          @Override
          public List<String> removeLabels() {
            return List.of("b", "absent");
          }
        };

    assertThat(update(before, changes).labels()).containsExactly("a", "c");
    assertThat(BeadEdits.relabel(List.of("x"), null, null)).containsExactly("x");
  }

  @Test
  void anUpdateThatBreaksAFieldIsRefusedWhenFinished() {
    FieldChanges badPriority =
        new FieldChanges() {
          @Override
          public Integer priority() {
            return 7;
          }
        };

    assertThatThrownBy(() -> update(bead(""), badPriority))
        .isInstanceOf(BeadFormatException.class)
        .hasMessageContaining("priority");
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
        .containsExactly(tuple("bd-3", "blocks"), tuple("bd-2", "related"));
  }

  @Test
  void aChildMayNotDependOnItsOwnAncestorExceptAsItsChild() {
    assertThat(BeadEdits.ancestorRefusal("bd-1.2.3", "bd-1", "blocks"))
        .isEqualTo(
            "cannot add dependency: bd-1.2.3 is already a child of bd-1; children wait for their"
                + " parent through the hierarchy, an explicit dependency would deadlock");
    assertThat(BeadEdits.ancestorRefusal("bd-1.2", "bd-1", "related")).isNotNull();
    assertThat(BeadEdits.ancestorRefusal("bd-1.2", "bd-1", "parent-child")).isNull();
    assertThat(BeadEdits.ancestorRefusal("bd-1", "bd-1.2", "blocks")).isNull();
    assertThat(BeadEdits.ancestorRefusal("bd-2.1", "bd-1", "blocks")).isNull();
  }

  @Test
  void aDependencyRefIsATargetOrATypeAndATarget() {
    assertThat(DependencyRef.parse("bd-2")).isEqualTo(new DependencyRef("blocks", "bd-2"));
    assertThat(DependencyRef.parse("related:bd-2")).isEqualTo(new DependencyRef("related", "bd-2"));
    assertThat(DependencyRef.parse(":bd-2")).isEqualTo(new DependencyRef("blocks", ":bd-2"));
  }
}
