package dev.beadpool.agent.bd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.bead.BdOutput;
import dev.beadpool.bead.BeadDetails;
import dev.beadpool.bead.Json;
import dev.beadpool.id.BeadIds;
import dev.beadpool.protocol.BdOperation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BdShimTest {
  @TempDir java.nio.file.Path runDir;
  BdFixture bd;

  @BeforeEach
  void prepare() throws IOException {
    bd = new BdFixture(runDir);
  }

  private static List<String> ids(JsonNode array) {
    List<String> ids = new ArrayList<>();
    array.forEach(n -> ids.add(n.path("id").asText()));
    return ids;
  }

  // ---- show ------------------------------------------------------------------------------------

  @Test
  void showJsonIsAnArrayOfDetailsWithDependenciesDependentsAndChildren() {
    var result = bd.bd("show", "bd-a1b2", "--json");

    assertThat(result.code()).isZero();
    JsonNode details = result.json();
    assertThat(details.isArray()).isTrue();
    assertThat(details).hasSize(1);
    JsonNode bead = details.get(0);
    assertThat(bead.path("id").asText()).isEqualTo("bd-a1b2");
    assertThat(bead.path("labels").toString()).isEqualTo("[\"old\"]");
    assertThat(ids(bead.path("dependencies"))).containsExactly("bd-b2c3");
    assertThat(bead.path("dependencies").get(0).path("dependency_type").asText())
        .isEqualTo("blocks");
    assertThat(ids(bead.path("dependents"))).containsExactly("bd-a1b2.1", "bd-c3d4");
    assertThat(bead.path("dependents").get(0).path("dependency_type").asText())
        .isEqualTo("parent-child");
  }

  @Test
  void showTextIsTheSameRenderingAsBeadpoolsCli() throws Exception {
    var result = bd.bd("show", "bd-a1b2");

    StringWriter expected = new StringWriter();
    BdView view = BdView.of(BdContext.read(bd.prepared.contextFile()), "x", List.of());
    BeadDetails.print(new PrintWriter(expected), view, view.require("bd-a1b2"));
    assertThat(result.out()).isEqualTo(expected.toString());
    assertThat(result.out())
        .startsWith("bd-a1b2: Fix login\nStatus: in_progress   Priority: P1   Type: task\n")
        .contains("NOTES\n  first")
        .contains("  bd-b2c3  [blocks]  closed  Add session table");
  }

  @Test
  void globalJsonFlagBeforeTheCommandWorks() {
    var result = bd.bd("--json", "show", "bd-c3d4");

    assertThat(result.code()).isZero();
    assertThat(ids(result.json())).containsExactly("bd-c3d4");
  }

  @Test
  void globalFlagsBeforeTheCommandStayFlagsAfterADoubleDash() {
    var create = bd.bd("--json", "create", "--", "-v is verbose");
    var dep = bd.bd("--json", "dep", "add", "bd-c3d4", "bd-b2c3");

    assertThat(create.code()).isZero();
    assertThat(create.json().path("title").asText()).isEqualTo("-v is verbose");
    assertThat(dep.json().path("status").asText()).isEqualTo("added");
  }

  @Test
  void showOfAnUnknownIdFailsAndSaysWhichBeadsThisBdSees() {
    var result = bd.bd("show", "bd-a1b2", "bd-zzzz");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.out()).startsWith("bd-a1b2: Fix login");
    assertThat(result.err())
        .contains("Error: no issue found matching bd-zzzz\n")
        .contains("bd sees only bd-a1b2, the beads it depends on, its dependents and children,")
        .contains("created in this run");
  }

  // ---- create ----------------------------------------------------------------------------------

  @Test
  void createRecordsBdsHashIdWithThePrefixAndPrintsBdsText() {
    var result =
        bd.bd("create", "Session expiry bug", "-d", "found while fixing login", "-t", "bug", "-p1");

    // known ids have 4-character hashes, so the new one is at least that long
    String expectedId =
        BeadIds.hashId(
            "bd", "Session expiry bug", "found while fixing login", "agent-7", BdFixture.NOW, 4, 0);
    assertThat(result.code()).isZero();
    assertThat(result.out())
        .isEqualTo(
            "✓ Created issue: "
                + expectedId
                + "\n  Title: Session expiry bug\n  Priority: P1\n  Status: open\n");
    assertThat(bd.ops())
        .containsExactly(
            BdOperation.create(
                expectedId,
                "Session expiry bug",
                "found while fixing login",
                null,
                "bug",
                1,
                null,
                null,
                null,
                "2026-03-01T12:00:00Z"));
  }

  @Test
  void createJsonPrintsTheNewIssueAndShowFindsIt() {
    var result = bd.bd("create", "--title=Add audit log", "--priority", "P3", "--json");

    JsonNode issue = result.json();
    String id = issue.path("id").asText();
    assertThat(issue.path("title").asText()).isEqualTo("Add audit log");
    assertThat(issue.path("priority").asInt()).isEqualTo(3);
    assertThat(issue.path("issue_type").asText()).isEqualTo("task");
    assertThat(issue.path("status").asText()).isEqualTo("open");
    assertThat(issue.path("created_by").asText()).isEqualTo("agent-7");
    assertThat(issue.path("created_at").asText()).isEqualTo("2026-03-01T12:00:00Z");
    assertThat(bd.show(id).path("title").asText()).isEqualTo("Add audit log");
  }

  @Test
  void createWithParentTakesTheNumberAfterTheTrackersCounterAndTheKnownChildren() {
    var first = bd.bd("create", "Form validation", "--parent", "bd-a1b2", "--silent");
    var second = bd.bd("create", "Error messages", "--parent=bd-a1b2", "--silent");

    assertThat(first.out()).isEqualTo("bd-a1b2.4\n");
    assertThat(second.out()).isEqualTo("bd-a1b2.5\n");
    assertThat(bd.show("bd-a1b2.5").path("parent").asText()).isEqualTo("bd-a1b2");
    assertThat(ids(bd.show("bd-a1b2").path("dependents")))
        .containsExactly("bd-a1b2.1", "bd-a1b2.4", "bd-a1b2.5", "bd-c3d4");
    assertThat(bd.ops()).extracting(BdOperation::parent).containsExactly("bd-a1b2", "bd-a1b2");
  }

  @Test
  void createOfAChildOfAChildCountsFromOne() {
    var result = bd.bd("create", "Grandchild", "--parent", "bd-a1b2.1", "--silent");

    assertThat(result.out()).isEqualTo("bd-a1b2.1.1\n");
  }

  @Test
  void createTakesLabelsAndDepsInEveryForm() {
    var result =
        bd.bd(
            "create",
            "Flaky test",
            "-l",
            "ci,tests",
            "--label=flaky",
            "--deps",
            "discovered-from:bd-a1b2,bd-c3d4",
            "--design",
            "retry twice",
            "--silent");

    String id = result.out().strip();
    BdOperation op = bd.ops().get(0);
    assertThat(op.labels()).containsExactly("ci", "tests", "flaky");
    assertThat(op.deps()).containsExactly("discovered-from:bd-a1b2", "bd-c3d4");
    assertThat(op.design()).isEqualTo("retry twice");
    JsonNode shown = bd.show(id);
    assertThat(ids(shown.path("dependencies"))).containsExactly("bd-a1b2", "bd-c3d4");
    assertThat(shown.path("dependencies").get(0).path("dependency_type").asText())
        .isEqualTo("discovered-from");
    assertThat(shown.path("design").asText()).isEqualTo("retry twice");
  }

  @Test
  void createKeepsAMultiLineTitleExactly() {
    String title = "Fix the build\nWorking directory: /work/x\n\tindented";

    var result = bd.bd("create", title, "--json");

    assertThat(result.code()).isZero();
    assertThat(bd.ops().get(0).title()).isEqualTo(title);
    assertThat(result.json().path("title").asText()).isEqualTo(title);
  }

  @Test
  void createRefusesBadValuesAndRecordsNothing() {
    var priority = bd.bd("create", "X", "-p", "7");
    var target = bd.bd("create", "X", "--deps", "bd-gone");
    var type = bd.bd("create", "X", "--deps", "blocker:bd-a1b2");
    var parent = bd.bd("create", "X", "--parent", "bd-gone");
    var blank = bd.bd("create", "  ");

    assertThat(priority.code()).isEqualTo(1);
    assertThat(priority.err()).isEqualTo("Error: priority must be 0..4 or P0..P4, was '7'\n");
    assertThat(target.code()).isEqualTo(1);
    assertThat(target.err()).contains("no issue found matching bd-gone");
    assertThat(type.code()).isEqualTo(1);
    assertThat(type.err()).contains("unknown dependency type 'blocker'");
    assertThat(parent.code()).isEqualTo(1);
    assertThat(blank.code()).isEqualTo(1);
    assertThat(bd.ops()).isEmpty();
  }

  @Test
  void createUsageMistakesExitTwo() {
    var noTitle = bd.bd("create", "-p", "1");
    var twoTitles = bd.bd("create", "A", "B");
    var unknownFlag = bd.bd("create", "A", "--assignee", "me");
    var missingValue = bd.bd("create", "A", "--priority");

    assertThat(noTitle.code()).isEqualTo(2);
    assertThat(twoTitles.code()).isEqualTo(2);
    assertThat(unknownFlag.code()).isEqualTo(2);
    assertThat(unknownFlag.err()).startsWith("Error: unknown flag: --assignee for bd create");
    assertThat(missingValue.code()).isEqualTo(2);
    assertThat(bd.ops()).isEmpty();
  }

  @Test
  void showUpdateAndCloseWithoutAnIdExitTwoBeforeAnyOtherCheck() {
    var show = bd.bd("show");
    var update = bd.bd("update");
    var close = bd.bd("close", "--force");

    assertThat(show.code()).isEqualTo(2);
    assertThat(show.err()).startsWith("Error: bd show needs at least one issue id");
    assertThat(update.code()).isEqualTo(2);
    assertThat(update.err()).startsWith("Error: bd update needs at least one issue id");
    assertThat(close.code()).isEqualTo(2);
    assertThat(close.err()).startsWith("Error: bd close needs at least one issue id");
    assertThat(bd.ops()).isEmpty();
  }

  // ---- dep -------------------------------------------------------------------------------------

  @Test
  void depAddRecordsTheEdgeAndPrintsBdsJson() {
    String id = bd.bd("create", "Docs", "--silent").out().strip();

    var result = bd.bd("dep", "add", id, "bd-a1b2", "--json");

    assertThat(result.code()).isZero();
    assertThat(result.out())
        .isEqualTo(BdOutput.json(BdOutput.depResult("added", id, "bd-a1b2", "blocks")) + "\n");
    assertThat(result.json().fieldNames())
        .toIterable()
        .containsExactly("depends_on_id", "issue_id", "status", "type");
    assertThat(bd.ops().get(1))
        .isEqualTo(BdOperation.depAdd(id, "bd-a1b2", "blocks", "2026-03-01T12:00:00Z"));
    assertThat(ids(bd.show("bd-a1b2").path("dependents"))).contains(id);
  }

  @Test
  void depAddTextAndTypeFlag() {
    var result = bd.bd("dep", "add", "bd-c3d4", "bd-b2c3", "-t", "related");

    assertThat(result.out())
        .isEqualTo("✓ Added dependency: bd-c3d4 depends on bd-b2c3 (related)\n");
    assertThat(bd.ops().get(0).depType()).isEqualTo("related");
  }

  @Test
  void depAddRefusesSelfDependencyCycleChildOnParentAndUnknownType() {
    var self = bd.bd("dep", "add", "bd-a1b2", "bd-a1b2");
    var cycle = bd.bd("dep", "add", "bd-b2c3", "bd-c3d4");
    var childOnParent = bd.bd("dep", "add", "bd-a1b2.1", "bd-a1b2");
    var type = bd.bd("dep", "add", "bd-c3d4", "bd-b2c3", "--type", "depends-on");
    var unknown = bd.bd("dep", "add", "bd-c3d4", "bd-elsewhere");

    assertThat(self.code()).isEqualTo(1);
    assertThat(self.err()).contains("cannot depend on itself");
    assertThat(cycle.code()).isEqualTo(1);
    assertThat(cycle.err()).contains("cycle").contains("bd-b2c3").contains("bd-c3d4");
    assertThat(childOnParent.code()).isEqualTo(1);
    assertThat(childOnParent.err()).contains("already a child of bd-a1b2");
    assertThat(type.code()).isEqualTo(1);
    assertThat(type.err()).contains("unknown dependency type 'depends-on'");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("bd sees only bd-a1b2");
    assertThat(bd.ops()).isEmpty();
  }

  @Test
  void depAddSeesEdgesAddedEarlierInTheRunWhenCheckingCycles() {
    String a = bd.bd("create", "A", "--silent").out().strip();
    String b = bd.bd("create", "B", "--silent").out().strip();
    assertThat(bd.bd("dep", "add", a, b).code()).isZero();

    var cycle = bd.bd("dep", "add", b, a);

    assertThat(cycle.code()).isEqualTo(1);
    assertThat(cycle.err()).contains("cycle");
    assertThat(bd.ops()).hasSize(3);
  }

  @Test
  void depRemoveAndRmDropTheEdge() {
    var removed = bd.bd("dep", "rm", "bd-a1b2", "bd-b2c3");
    var again = bd.bd("dep", "remove", "bd-a1b2", "bd-b2c3");

    assertThat(removed.out())
        .isEqualTo("✓ Removed dependency: bd-a1b2 no longer depends on bd-b2c3\n");
    assertThat(bd.show("bd-a1b2").has("dependencies")).isFalse();
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("Error: no dependency from bd-a1b2 on bd-b2c3\n");
    assertThat(bd.ops())
        .containsExactly(BdOperation.depRemove("bd-a1b2", "bd-b2c3", "2026-03-01T12:00:00Z"));
  }

  @Test
  void depRemoveJsonIsBdsShape() {
    var result = bd.bd("dep", "remove", "bd-c3d4", "bd-a1b2", "--json");

    assertThat(result.json().path("status").asText()).isEqualTo("removed");
    assertThat(result.json().path("issue_id").asText()).isEqualTo("bd-c3d4");
    assertThat(result.json().path("depends_on_id").asText()).isEqualTo("bd-a1b2");
  }

  // ---- update ----------------------------------------------------------------------------------

  @Test
  void updateAppendNotesAddsALineAndShowSeesIt() {
    var result = bd.bd("update", "bd-a1b2", "--append-notes", "second");

    assertThat(result.out()).isEqualTo("✓ Updated issue: bd-a1b2\n");
    assertThat(bd.show("bd-a1b2").path("notes").asText()).isEqualTo("first\nsecond");
    assertThat(bd.ops().get(0).appendNotes()).isEqualTo("second");
    assertThat(bd.ops().get(0).notes()).isNull();
  }

  @Test
  void updateRefusesNotesAndAppendedNotesTogetherAsBdDoes() {
    var result = bd.bd("update", "bd-a1b2", "--notes", "new", "--append-notes", "more");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("cannot specify both --notes and --append-notes");
    assertThat(bd.ops()).isEmpty();
    assertThat(bd.show("bd-a1b2").path("notes").asText()).isEqualTo("first");
  }

  @Test
  void updateChangesFieldsLabelsStatusAndPriority() {
    var result =
        bd.bd(
            "update",
            "bd-a1b2",
            "--status=blocked",
            "-p",
            "0",
            "--title",
            "Fix login for SSO users",
            "--notes",
            "- replaced",
            "--add-label",
            "auth,sso",
            "--remove-label",
            "old",
            "--json");

    assertThat(result.code()).isZero();
    JsonNode printed = result.json().get(0);
    assertThat(printed.path("status").asText()).isEqualTo("blocked");
    JsonNode shown = bd.show("bd-a1b2");
    assertThat(shown.path("priority").asInt()).isZero();
    assertThat(shown.path("title").asText()).isEqualTo("Fix login for SSO users");
    assertThat(shown.path("notes").asText()).isEqualTo("- replaced");
    assertThat(shown.path("labels").toString()).isEqualTo("[\"auth\",\"sso\"]");
    assertThat(shown.path("updated_at").asText()).isEqualTo("2026-03-01T12:00:00Z");
  }

  @Test
  void updateRefusesAnUnknownStatusAndNeedsAField() {
    var status = bd.bd("update", "bd-a1b2", "--status", "done");
    var nothing = bd.bd("update", "bd-a1b2");

    assertThat(status.code()).isEqualTo(1);
    assertThat(status.err()).startsWith("Error updating bd-a1b2: invalid status 'done'");
    assertThat(nothing.code()).isEqualTo(2);
    assertThat(bd.ops()).isEmpty();
  }

  @Test
  void updateOfSeveralIdsChangesTheKnownOnesAndReportsTheOthers() {
    var result = bd.bd("update", "bd-a1b2", "bd-nope", "bd-c3d4", "--notes", "n");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.out()).isEqualTo("✓ Updated issue: bd-a1b2\n✓ Updated issue: bd-c3d4\n");
    assertThat(result.err())
        .startsWith("Error updating bd-nope: no issue found matching bd-nope\nHint:");
    assertThat(bd.ops()).extracting(BdOperation::id).containsExactly("bd-a1b2", "bd-c3d4");
  }

  @Test
  void claimIsAcceptedForTheRunsBeadOnlyAndRecordsNothing() {
    var own = bd.bd("update", "bd-a1b2", "--claim");
    var other = bd.bd("update", "bd-c3d4", "--claim");

    assertThat(own.code()).isZero();
    assertThat(own.out()).isEqualTo("✓ Updated issue: bd-a1b2 (claimed by agent-7)\n");
    assertThat(other.code()).isEqualTo(1);
    assertThat(other.err()).contains("only bd-a1b2 can be claimed here");
    assertThat(bd.ops()).isEmpty();
  }

  // ---- comments --------------------------------------------------------------------------------

  @Test
  void commentsAddAndTheOldAliasRecordCommentsThatCommentsLists() {
    var added = bd.bd("comments", "add", "bd-a1b2", "Root cause: expired cookie");
    var alias = bd.bd("comment", "bd-a1b2", "second", "--json");
    var listed = bd.bd("comments", "bd-a1b2");
    var json = bd.bd("comments", "bd-a1b2", "--json");

    assertThat(added.out()).isEqualTo("Comment added to bd-a1b2\n");
    assertThat(alias.json().path("text").asText()).isEqualTo("second");
    assertThat(alias.json().path("author").asText()).isEqualTo("agent-7");
    assertThat(listed.out())
        .isEqualTo(
            "\nComments on bd-a1b2:\n\n"
                + "[agent-7] Root cause: expired cookie at 2026-03-01 12:00\n\n"
                + "[agent-7] second at 2026-03-01 12:00\n\n");
    assertThat(json.json()).hasSize(2);
    assertThat(bd.show("bd-a1b2").path("comments")).hasSize(2);
    assertThat(bd.ops())
        .containsExactly(
            BdOperation.comment("bd-a1b2", "Root cause: expired cookie", "2026-03-01T12:00:00Z"),
            BdOperation.comment("bd-a1b2", "second", "2026-03-01T12:00:00Z"));
  }

  @Test
  void commentsOfABeadWithoutCommentsSaysSo() {
    assertThat(bd.bd("comments", "bd-c3d4").out()).isEqualTo("No comments on bd-c3d4\n");
    assertThat(bd.bd("comments", "bd-c3d4", "--json").out()).isEqualTo("[]\n");
  }

  @Test
  void commentTextCanComeFromAFile() throws IOException {
    java.nio.file.Path file = runDir.resolve("note.md");
    java.nio.file.Files.writeString(file, "line 1\nline 2\n");

    var result = bd.bd("comments", "add", "bd-a1b2", "-f", file.toString());

    assertThat(result.code()).isZero();
    assertThat(bd.ops().get(0).text()).isEqualTo("line 1\nline 2\n");
  }

  // ---- close -----------------------------------------------------------------------------------

  @Test
  void closeRecordsTheReasonAndShowShowsTheBeadClosed() {
    var result = bd.bd("close", "bd-a1b2", "-r", "Fixed in abc123");

    assertThat(result.out()).isEqualTo("✓ Closed bd-a1b2: Fixed in abc123\n");
    JsonNode shown = bd.show("bd-a1b2");
    assertThat(shown.path("status").asText()).isEqualTo("closed");
    assertThat(shown.path("close_reason").asText()).isEqualTo("Fixed in abc123");
    assertThat(shown.path("closed_at").asText()).isEqualTo("2026-03-01T12:00:00Z");
    assertThat(bd.ops())
        .containsExactly(BdOperation.close("bd-a1b2", "Fixed in abc123", "2026-03-01T12:00:00Z"));
  }

  @Test
  void closeRefusesABlockedBeadAndAnAgentCannotForceIt() {
    var refused = bd.bd("close", "bd-c3d4");
    var forced = bd.bd("close", "bd-c3d4", "--force", "--json");

    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err())
        .isEqualTo(
            "Error closing bd-c3d4: cannot close bd-c3d4: blocked by open issues [bd-a1b2]"
                + " (close them first; only a human can force it)\n");
    assertThat(forced.code()).isEqualTo(2);
    assertThat(forced.err()).contains("--force: not available inside a beadpool worker");
    assertThat(bd.ops()).isEmpty();
  }

  @Test
  void closingAClosedBeadChangesNothing() {
    var result = bd.bd("close", "bd-b2c3");

    assertThat(result.code()).isZero();
    assertThat(result.out()).isEqualTo("✓ Closed bd-b2c3: Done\n");
    assertThat(bd.ops()).isEmpty();
  }

  // ---- the rest of bd --------------------------------------------------------------------------

  @Test
  void commandsThisBdDoesNotServeExitTwoWithTheMessage() {
    for (String[] args :
        List.of(
            new String[] {"ready", "--json"},
            new String[] {"list"},
            new String[] {"sync"},
            new String[] {"init"})) {
      var result = bd.bd(args);
      assertThat(result.code()).as(args[0]).isEqualTo(2);
      assertThat(result.err())
          .isEqualTo(
              "bd "
                  + args[0]
                  + ": not available inside a beadpool worker; this bd serves: show, create, dep"
                  + " add|remove, update, comments, close\n");
    }
    var tree = bd.bd("dep", "tree", "bd-a1b2");
    assertThat(tree.code()).isEqualTo(2);
    assertThat(tree.err()).contains("bd dep tree: not available inside a beadpool worker");
  }

  @Test
  void versionAndHelpSayWhatThisBdIs() {
    var version = bd.bd(Map.of(), "--version");
    var help = bd.bd(Map.of(), "help");
    var createHelp = bd.bd(Map.of(), "create", "--help");

    assertThat(version.code()).isZero();
    assertThat(version.out()).contains("beadpool worker bd").contains(BdShim.SERVED);
    assertThat(help.out()).contains("  bd create [TITLE]").contains("  bd dep add A B");
    assertThat(createHelp.out()).startsWith("Usage:\n  bd create [TITLE]");
  }

  @Test
  void outsideAWorkerRunItSaysWhatIsMissing() {
    var result = bd.bd(Map.of(), "show", "bd-a1b2");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "Error: BEADPOOL_BD_CONTEXT and BEADPOOL_BD_OPS are not set: this bd works only inside"
                + " a beadpool worker run\n");
  }

  @Test
  void errorsAreJsonWhenJsonWasAsked() {
    var result = bd.bd("dep", "add", "bd-a1b2", "bd-a1b2", "--json");

    assertThat(result.code()).isEqualTo(1);
    JsonNode error = Json.parseOrNull(result.err());
    assertThat(error).isNotNull();
    assertThat(error.path("error").asText()).contains("cannot depend on itself");
  }

  @Test
  void concurrentCreatesInOneProcessGetDistinctChildIds() throws Exception {
    int n = 6;
    List<Thread> threads = new ArrayList<>();
    List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < n; i++) {
      String title = "Part " + i;
      Thread thread =
          new Thread(
              () ->
                  ids.add(bd.bd("create", title, "--parent", "bd-a1b2", "--silent").out().strip()));
      thread.start();
      threads.add(thread);
    }
    for (Thread t : threads) {
      t.join();
    }

    assertThat(ids)
        .containsExactlyInAnyOrder(
            "bd-a1b2.4", "bd-a1b2.5", "bd-a1b2.6", "bd-a1b2.7", "bd-a1b2.8", "bd-a1b2.9");
    assertThat(bd.ops()).hasSize(n);
  }
}
