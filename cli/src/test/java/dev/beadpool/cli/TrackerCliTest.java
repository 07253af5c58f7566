package dev.beadpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.testhelper.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackerCliTest {
  @TempDir Path dir;
  Cli cli;

  @BeforeEach
  void setUp() {
    cli = new Cli(dir.resolve("proj"));
  }

  String create(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "create";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--json";
    all[args.length + 2] = "--actor=alice";
    Cli.Result r = cli.run(all);
    assertThat(r.exit()).as(r.err()).isZero();
    return r.json().get("id").asText();
  }

  @Test
  void beadTextCannotDriveTheTerminalButJsonKeepsItExactly() {
    String hostile = "Fix login\u001b]0;pwned\u0007\u001b[2J";
    String id = create(hostile, "-d", "step one\u001b[1A\rdone");

    for (String[] args :
        List.of(new String[] {"list"}, new String[] {"ready"}, new String[] {"show", id})) {
      Cli.Result r = cli.run(args);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out())
          .as(String.join(" ", args))
          .doesNotContain("\u001b")
          .contains("^[]0;pwned^G");
    }
    // a carriage return ends the line here (show indents the text line by line), not overwrites it
    assertThat(cli.run("show", id).out()).contains("step one^[[1A\n  done");
    assertThat(cli.run("show", id, "--json").json().get(0).get("title").asText())
        .isEqualTo(hostile);
  }

  @Test
  void createDepClaimCloseChangeTheStoreAsBd() {
    String a = create("Design the schema", "-p", "1", "-l", "backend,db");
    String b = create("Write the migration", "--deps", a);
    assertThat(a).matches("proj-[0-9a-z]{3}");

    JsonNode ready = cli.run("ready", "--json").json();
    assertThat(ready).extracting(n -> n.get("id").asText()).containsExactly(a);
    assertThat(ready.get(0).get("dependent_count").asInt()).isEqualTo(1);

    Cli.Result claim = cli.run("update", a, "--claim", "--actor", "worker-1", "--json");
    assertThat(claim.exit()).isZero();
    assertThat(claim.json().get(0).get("status").asText()).isEqualTo("in_progress");
    assertThat(claim.json().get(0).get("assignee").asText()).isEqualTo("worker-1");

    Cli.Result second = cli.run("update", a, "--claim", "--actor", "worker-2");
    assertThat(second.exit()).isEqualTo(1);
    assertThat(second.err()).contains("already claimed by worker-1");

    Cli.Result close = cli.run("close", a, "--reason", "Done", "--json");
    assertThat(close.exit()).isZero();
    assertThat(close.json().get(0).get("close_reason").asText()).isEqualTo("Done");

    assertThat(cli.run("ready", "--json").json())
        .extracting(n -> n.get("id").asText())
        .containsExactly(b);
  }

  @Test
  void depAddPrintsBdsShapeAndRefusesACycleWithThePath() {
    String a = create("a");
    String b = create("b");

    Cli.Result added = cli.run("dep", "add", b, a, "--json");
    assertThat(added.exit()).isZero();
    assertThat(added.json().toString())
        .isEqualTo(
            "{\"depends_on_id\":\""
                + a
                + "\",\"issue_id\":\""
                + b
                + "\",\"status\":\"added\",\"type\":\"blocks\"}");

    Cli.Result cycle = cli.run("dep", "add", a, b);
    assertThat(cycle.exit()).isEqualTo(1);
    assertThat(cycle.err()).contains(a + " -> " + b + " -> " + a);
    Cli.Result cycleJson = cli.run("dep", "add", a, b, "--json");
    assertThat(cycleJson.err()).startsWith("{\"error\":").contains(a + " -> " + b + " -> " + a);

    Cli.Result blocked = cli.run("blocked", "--json");
    assertThat(blocked.json().get(0).get("blocked_by").get(0).asText()).isEqualTo(a);
  }

  @Test
  void showListsDependenciesAndDependentsWithTheirType() {
    String parent = create("Epic", "-t", "epic");
    String child = create("Child", "--parent", parent);
    assertThat(child).isEqualTo(parent + ".1");

    JsonNode show = cli.run("show", parent, child, "--json").json();
    assertThat(show.isArray()).isTrue();
    assertThat(show.get(0).get("dependents").get(0).get("dependency_type").asText())
        .isEqualTo("parent-child");
    assertThat(show.get(1).get("parent").asText()).isEqualTo(parent);
    assertThat(show.get(1).get("dependencies").get(0).get("id").asText()).isEqualTo(parent);

    Cli.Result missing = cli.run("show", "proj-nope");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("no issue found matching proj-nope");
  }

  @Test
  void listFiltersByStatusLabelTypeAssigneeAndParent() {
    String epic = create("Epic", "-t", "epic");
    String child = create("Child", "--parent", epic, "-l", "ui", "-a", "bob");
    create("Other", "-l", "backend");

    assertThat(ids(cli.run("list", "--label", "ui", "--json"))).containsExactly(child);
    assertThat(ids(cli.run("list", "--type", "epic", "--json"))).containsExactly(epic);
    assertThat(ids(cli.run("list", "--assignee", "bob", "--json"))).containsExactly(child);
    assertThat(ids(cli.run("list", "--parent", epic, "--json"))).containsExactly(child);
    cli.run("close", child);
    assertThat(ids(cli.run("list", "--json"))).hasSize(2);
    assertThat(ids(cli.run("list", "--status", "closed", "--json"))).containsExactly(child);
  }

  static java.util.List<String> ids(Cli.Result r) {
    java.util.List<String> ids = new java.util.ArrayList<>();
    r.json().forEach(n -> ids.add(n.get("id").asText()));
    return ids;
  }

  @Test
  void importReportsEachBrokenLineAndExitsNonZero() throws IOException {
    Path file = dir.resolve("broken.jsonl");
    Files.writeString(
        file,
        """
        {"id":"x-1","title":"good","priority":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {not json
        {"id":"x-3","title":"p9","priority":9,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"x-4","priority":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"x-5","title":"c","status":"closed","priority":1,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        """);

    Cli.Result r = cli.run("import", file.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("2 created").contains("3 invalid lines");
    assertThat(r.err())
        .contains(file + ":2: not valid JSON")
        .contains(file + ":3: priority: must be 0..4, was 9")
        .contains(file + ":4: title: is required")
        .contains(file + ":5: closed_at: missing on a closed bead: imported as closed at")
        .doesNotContain("Exception");
    assertThat(ids(cli.run("list", "--json", "--all"))).containsExactly("x-1", "x-5");
  }

  @Test
  void aTrackerFrom2025KeepsEveryBeadThroughImportAndAnExportWrittenBackOverIt()
      throws IOException {
    Path file = dir.resolve("issues.jsonl");
    String original =
        """
        {"_schema":"beads/v1"}
        {"id":"x-1","title":"reopened","status":"open","closed_at":"2025-10-01T00:00:00Z","close_reason":"Done","priority":1,"created_at":"2025-09-01T00:00:00Z","updated_at":"2025-10-02T00:00:00Z","x_team":"kept"}
        {"id":"x-2","title":"closed, no closed_at","status":"closed","priority":2,"created_at":"2025-09-01T00:00:00Z","updated_at":"2025-10-02T00:00:00Z"}
        {"_type":"memory","key":"style","value":"tabs, not spaces"}
        {"_type":"memory","key":"ci","value":"make test"}
        {"_type":"issue","id":"x-3","title":"plain","priority":2,"created_at":"2025-09-01T00:00:00Z","updated_at":"2025-09-01T00:00:00Z"}
        """;
    Files.writeString(file, original);

    Cli.Result imported = cli.run("import", file.toString());
    Cli.Result exported = cli.run("export", file.toString());

    assertThat(imported.exit()).as(imported.err()).isEqualTo(1); // warnings, nothing refused
    assertThat(imported.out())
        .contains("3 created")
        .contains("0 invalid lines")
        .contains("2 warnings")
        .contains("Skipped, not beads: 1 header, 2 memory records");
    assertThat(imported.err())
        .contains(file + ":2: closed_at: kept on a bead whose status is open")
        .contains(
            file
                + ":3: closed_at: missing on a closed bead: imported as closed at"
                + " 2025-10-02T00:00:01Z")
        .doesNotContain("line skipped")
        .doesNotContain("Exception");
    assertThat(exported.exit()).as(exported.err()).isZero();
    List<JsonNode> lines = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      lines.add(dev.beadpool.bead.Json.MAPPER.readTree(line));
    }
    assertThat(lines).extracting(n -> n.get("id").asText()).containsExactly("x-1", "x-2", "x-3");
    assertThat(lines.get(0).get("closed_at").asText()).isEqualTo("2025-10-01T00:00:00Z");
    assertThat(lines.get(0).get("status").asText()).isEqualTo("open");
    assertThat(lines.get(0).get("x_team").asText()).isEqualTo("kept");
    assertThat(lines.get(1).has("closed_at")).isFalse();
    assertThat(ids(cli.run("ready", "--json"))).containsExactly("x-1", "x-3");
  }

  @Test
  void oneInvalidUtf8ByteCostsItsLineNotTheFile() throws IOException {
    Path file = dir.resolve("issues.jsonl");
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    bytes.writeBytes(
        """
        {"id":"x-1","title":"before","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"x-2","title":"Latin"""
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    bytes.write(0xe9); // é in Latin-1, not UTF-8
    bytes.writeBytes(
        """
        ","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"x-3","title":"after","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        """
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Files.write(file, bytes.toByteArray());

    Cli.Result r = cli.run("import", file.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .contains(file + ":2: not valid UTF-8: byte 0xe9 at byte 27 of the line (line skipped)")
        .contains("1 invalid line skipped; 2 other issues imported.")
        .doesNotContain("Input length")
        .doesNotContain("Exception");
    assertThat(r.out()).contains("2 created");
    assertThat(ids(cli.run("list", "--json"))).containsExactlyInAnyOrder("x-1", "x-3");
  }

  @Test
  void aDirectoryGivenAsTheExportIsNamedAsADirectory() throws IOException {
    Path beads = Files.createDirectories(dir.resolve(".beads"));

    Cli.Result empty = cli.run("import", beads.toString());
    Files.writeString(beads.resolve("issues.jsonl"), "");
    Cli.Result withExport = cli.run("import", beads.toString());
    Cli.Result file = cli.run("ready", "--file", beads.toString());

    assertThat(empty.exit()).isEqualTo(1);
    assertThat(empty.err())
        .contains(beads + ": it is a directory, not a bd export")
        .doesNotContain("no such file");
    assertThat(withExport.err()).contains("did you mean " + beads.resolve("issues.jsonl") + "?");
    assertThat(file.exit()).isEqualTo(1);
    assertThat(file.err()).contains("it is a directory").doesNotContain("no such file");
  }

  @Test
  void aCycleInAnImportIsReportedAtImportAndByDoctor() throws IOException {
    Path file = dir.resolve("cycle.jsonl");
    Files.writeString(
        file,
        """
        {"id":"x-a","title":"A","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","dependencies":[{"issue_id":"x-a","depends_on_id":"x-b","type":"blocks","created_at":"2026-01-01T00:00:00Z"}]}
        {"id":"x-b","title":"B","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","dependencies":[{"issue_id":"x-b","depends_on_id":"x-a","type":"blocks","created_at":"2026-01-01T00:00:00Z"}]}
        {"id":"x-c","title":"C","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        """);

    Cli.Result imported = cli.run("import", file.toString());
    Cli.Result json = cli.run("import", file.toString(), "--json");
    Cli.Result doctor = cli.run("doctor");

    assertThat(imported.exit()).isEqualTo(1);
    assertThat(imported.out()).contains("3 created").contains("1 warning");
    assertThat(imported.err())
        .contains(
            file
                + ":1: dependencies: dependency cycle x-a -> x-b -> x-a (edges on lines 1, 2):"
                + " x-a, x-b stay blocked until one of its edges is removed")
        .doesNotContain("Exception");
    assertThat(json.json().get("cycles").get(0).toString()).isEqualTo("[\"x-a\",\"x-b\",\"x-a\"]");
    assertThat(doctor.exit()).isEqualTo(1);
    assertThat(doctor.out()).contains("dependency cycle: x-a -> x-b -> x-a");
  }

  @Test
  void importReportsADuplicateIdAndASelfDependencyByFileAndLine() throws IOException {
    Path file = dir.resolve("issues.jsonl");
    Files.writeString(
        file,
        """
        {"id":"x-1","title":"first copy","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}
        {"id":"x-2","title":"self","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","dependencies":[{"issue_id":"x-2","depends_on_id":"x-2","type":"blocks","created_at":"2026-01-01T00:00:00Z"}]}
        {"id":"x-1","title":"second copy","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-02-01T00:00:00Z"}
        """);

    Cli.Result r = cli.run("import", file.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("2 created").contains("0 invalid lines").contains("2 warnings");
    assertThat(r.err())
        .contains(file + ":2: dependencies[0]: x-2 depends on itself (blocks): edge dropped")
        .contains(file + ":3: id: duplicate id x-1: kept this copy");
    assertThat(ids(cli.run("list", "--json"))).containsExactlyInAnyOrder("x-1", "x-2");
    assertThat(ids(cli.run("ready", "--json"))).containsExactlyInAnyOrder("x-1", "x-2");
    assertThat(cli.run("show", "x-1", "--json").json().get(0).get("title").asText())
        .isEqualTo("second copy");
    Cli.Result fromFile = cli.run("ready", "--file", file.toString(), "--json");
    assertThat(fromFile.err())
        .contains(file + ":2: dependencies[0]: x-2 depends on itself (blocks): edge dropped");
    assertThat(ids(fromFile)).contains("x-2");
  }

  @Test
  void importThenExportRoundTripsThroughTheCli() throws IOException {
    Cli.Result imported = cli.run("import", Corpus.export("diffview").toString());
    assertThat(imported.exit()).isZero();
    assertThat(imported.out()).contains("152 created");
    Path out = dir.resolve("export.jsonl");
    assertThat(cli.run("export", out.toString()).exit()).isZero();
    assertThat(Files.readAllLines(out)).hasSize(152);
    Cli.Result again = cli.run("import", out.toString());
    assertThat(again.out()).contains("0 created, 0 updated, 152 unchanged");
  }

  @Test
  void usageErrorsExitTwoWithoutAStackTrace() {
    Cli.Result badPriority = cli.run("create", "x", "-p", "9");
    assertThat(badPriority.exit()).isEqualTo(2);
    assertThat(badPriority.err()).contains("priority must be 0..4").doesNotContain("at dev.");

    Cli.Result unknown = Cli.raw("ready", "--bogus");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown option");

    Cli.Result badSort =
        Cli.raw("ready", "--file", Corpus.export("diffview").toString(), "--sort", "random");
    assertThat(badSort.exit()).isEqualTo(2);
  }

  @Test
  void readingAMissingStoreSaysWhatToDo() {
    Cli.Result r = cli.run("ready");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("no bead store at").contains("beadpool import");
    assertThat(Files.exists(cli.db())).isFalse();
  }

  @Test
  void statsAndDoctorReportTheGraph() throws IOException {
    cli.run("import", Corpus.export("beads-2026-02").toString());
    JsonNode summary = cli.run("stats", "--json").json().get("summary");
    assertThat(summary.get("total_issues").asInt()).isEqualTo(704);
    assertThat(summary.get("blocked_issues").asInt()).isEqualTo(238);
    assertThat(summary.get("ready_issues").asInt()).isEqualTo(Corpus.ready("beads-2026-02").size());

    Cli.Result doctor = cli.run("doctor", "--json");
    assertThat(doctor.exit()).isEqualTo(1);
    assertThat(doctor.json())
        .extracting(n -> n.get("check").asText())
        .contains("orphaned-edge", "stale-in-progress");
  }

  @Test
  void doctorFindsCyclesAndMissingLabelsWhenConfigured() throws IOException {
    Path project = dir.resolve("proj");
    Files.createDirectories(project);
    Files.writeString(project.resolve("beadpool.yaml"), "doctor:\n  require-labels: true\n");
    String a = create("a", "-l", "x");
    String b = create("b");
    cli.run("dep", "add", a, b);

    JsonNode problems = cli.run("doctor", "--json").json();
    assertThat(problems)
        .extracting(n -> n.get("check").asText() + ":" + n.get("id").asText())
        .containsExactly("missing-labels:" + b);

    Path cyclic = dir.resolve("cyclic.jsonl");
    Files.writeString(
        cyclic,
        """
        {"id":"c-1","title":"one","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","dependencies":[{"issue_id":"c-1","depends_on_id":"c-2","type":"blocks","created_at":"2026-01-01T00:00:00Z"}]}
        {"id":"c-2","title":"two","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z","dependencies":[{"issue_id":"c-2","depends_on_id":"c-1","type":"blocks","created_at":"2026-01-01T00:00:00Z"}]}
        """);
    Cli.Result doctor = Cli.raw("doctor", "--file", cyclic.toString());
    assertThat(doctor.exit()).isEqualTo(1);
    assertThat(doctor.out()).contains("c-1 -> c-2 -> c-1");
  }

  @Test
  void newIdsUseThePrefixFromBeadpoolYaml() throws IOException {
    Path project = dir.resolve("proj");
    Files.createDirectories(project);
    Files.writeString(project.resolve("beadpool.yaml"), "issue-prefix: team\n");
    assertThat(create("first")).matches("team-[0-9a-z]{3}");

    Files.writeString(project.resolve("beadpool.yaml"), "doctor:\n  require-labels: maybe\n");
    Cli.Result bad = cli.run("doctor");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("beadpool.yaml: doctor.require-labels must be true or false");
  }

  @Test
  void dbAndActorMayComeBeforeTheSubcommandAsWithBd() {
    String[] moved =
        BeadpoolCommand.globalOptionsAfterSubcommand(
            new String[] {"--db", "x.db", "--actor=bob", "dep", "add", "a", "b", "--json"});
    assertThat(moved)
        .containsExactly("dep", "add", "--db", "x.db", "--actor=bob", "a", "b", "--json");
    assertThat(BeadpoolCommand.globalOptionsAfterSubcommand(new String[] {"--db", "x.db", "ready"}))
        .containsExactly("ready", "--db", "x.db");
    assertThat(BeadpoolCommand.globalOptionsAfterSubcommand(new String[] {"ready", "--json"}))
        .containsExactly("ready", "--json");
    assertThat(BeadpoolCommand.globalOptionsAfterSubcommand(new String[] {"--db"}))
        .containsExactly("--db");
  }
}
