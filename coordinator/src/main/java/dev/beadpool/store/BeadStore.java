package dev.beadpool.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadEditor;
import dev.beadpool.bead.BeadFormatException;
import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.bead.IssueTypes;
import dev.beadpool.bead.Json;
import dev.beadpool.bead.Statuses;
import dev.beadpool.bead.Timestamps;
import dev.beadpool.graph.BeadState;
import dev.beadpool.graph.Edge;
import dev.beadpool.graph.GraphException;
import dev.beadpool.graph.ReadyEngine;
import dev.beadpool.id.BeadIds;
import dev.beadpool.jsonl.JsonlWriter;
import dev.beadpool.protocol.BdOperation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.sqlite.SQLiteConfig;

/**
 * The durable bead store: one SQLite file (WAL, synchronous commits), every write one transaction
 * that either happens whole or not at all, every state change appended to history.
 *
 * <p>Thread-safe: methods are synchronized on the store, which holds one connection.
 */
public final class BeadStore implements AutoCloseable {
  /** Where the store lives unless told otherwise, relative to the project directory. */
  public static final Path DEFAULT_PATH = Path.of(".beadpool", "beads.db");

  public static final String CONFIG_ISSUE_PREFIX = "issue_prefix";

  /** SQLite page cache of the store's connection, in KiB. */
  static final int CACHE_KIB = 256 * 1024;

  private final Path file;
  private final Connection connection;
  private final Clock clock;
  private boolean closed;
  private int transactionDepth;

  private BeadStore(Path file, Connection connection, Clock clock) {
    this.file = file;
    this.connection = connection;
    this.clock = clock;
  }

  /** Opens (creating if needed) the store at {@code file} and migrates its schema. */
  public static BeadStore open(Path file, Clock clock) {
    Path absolute = file.toAbsolutePath();
    try {
      Files.createDirectories(absolute.getParent());
    } catch (IOException e) {
      throw new StoreException(
          "cannot create the directory for " + file + ": " + e.getMessage(), e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // why: a state change must be on disk before anyone is told it happened
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(10_000);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    // why: a large import inserts at random points of several indexes; the default 2 MB page
    // cache makes every one of them a page read (the cache is allocated as it fills)
    config.setCacheSize(-CACHE_KIB);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    // why: the driver otherwise runs SELECT last_insert_rowid() after every insert; we never ask
    config.setGetGeneratedKeys(false);
    try {
      Connection connection = config.createConnection("jdbc:sqlite:" + absolute);
      try {
        Schema.migrate(connection, file.toString());
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
      return new BeadStore(file, connection, clock);
    } catch (SQLException e) {
      throw new StoreException("cannot open bead store " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  public Clock clock() {
    return clock;
  }

  // ---- transactions ----------------------------------------------------------------------------

  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs {@code work} in one transaction: committed whole, or rolled back whole. */
  synchronized <T> T inTransaction(Work<T> work) {
    ensureOpen();
    if (transactionDepth > 0) {
      // why: inside a caller's transaction (a batch), join it: it commits or rolls back whole
      try {
        return work.run(connection);
      } catch (SQLException e) {
        throw new StoreException("bead store " + file + ": " + e.getMessage(), e);
      }
    }
    try {
      connection.setAutoCommit(false);
      transactionDepth++;
      try {
        T result = work.run(connection);
        update(
            connection,
            "UPDATE config SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'");
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        connection.rollback();
        throw e;
      } finally {
        transactionDepth--;
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("bead store " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs several store operations as one transaction: each operation inside joins it, and it
   * commits (one fsync) or rolls back whole. For batches, such as a burst of results.
   */
  public <T> T batch(java.util.function.Supplier<T> operations) {
    return inTransaction(c -> operations.get());
  }

  synchronized <T> T read(Work<T> work) {
    ensureOpen();
    try {
      return work.run(connection);
    } catch (SQLException e) {
      throw new StoreException("bead store " + file + ": " + e.getMessage(), e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("bead store " + file + " is closed");
    }
  }

  // ---- reads -----------------------------------------------------------------------------------

  public Optional<Bead> find(String id) {
    return read(c -> Optional.ofNullable(load(c, id)));
  }

  public Bead get(String id) {
    return find(id).orElseThrow(() -> new BeadNotFoundException(id));
  }

  public int count() {
    return read(c -> queryInt(c, "SELECT count(*) FROM beads"));
  }

  /** Beads matching the filter, by id. */
  /** The beads not closed that carry {@code label}, by id: an index lookup, not a scan. */
  public List<Bead> openWithLabel(String label) {
    return read(
        c ->
            query(
                c,
                "SELECT data FROM beads WHERE id IN (SELECT issue_id FROM labels WHERE label = ?)"
                    + " AND status != 'closed' ORDER BY id",
                rs -> parse(rs.getString(1)),
                label));
  }

  public List<Bead> list(BeadFilter filter) {
    StringBuilder sql = new StringBuilder("SELECT data FROM beads b WHERE 1=1");
    List<String> params = new ArrayList<>();
    if (filter.status() != null) {
      sql.append(" AND status = ?");
      params.add(filter.status());
    }
    if (filter.issueType() != null) {
      sql.append(" AND issue_type = ?");
      params.add(filter.issueType());
    }
    if (filter.assignee() != null) {
      sql.append(" AND assignee = ?");
      params.add(filter.assignee());
    }
    for (String label : filter.labels()) {
      sql.append(" AND EXISTS (SELECT 1 FROM labels l WHERE l.issue_id = b.id AND l.label = ?)");
      params.add(label);
    }
    if (filter.parent() != null) {
      sql.append(
          " AND EXISTS (SELECT 1 FROM dependencies d WHERE d.issue_id = b.id"
              + " AND d.type = 'parent-child' AND d.depends_on_id = ?)");
      params.add(filter.parent());
    }
    sql.append(" ORDER BY id");
    return read(
        c ->
            query(c, sql.toString(), rs -> parse(rs.getString(1)), params.toArray(String[]::new))
                .stream()
                .filter(filter::matches)
                .toList());
  }

  /** The beads with these ids, in the order given; unknown ids are left out. */
  public List<Bead> getAll(List<String> ids) {
    return read(
        c -> {
          List<Bead> beads = new ArrayList<>(ids.size());
          try (PreparedStatement st = c.prepareStatement("SELECT data FROM beads WHERE id = ?")) {
            for (String id : ids) {
              st.setString(1, id);
              try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                  beads.add(parse(rs.getString(1)));
                }
              }
            }
          }
          return beads;
        });
  }

  /**
   * The readiness graph, loaded from indexed columns (no JSON parsing), so that it is cheap even
   * for 100k beads. Beads and edges are read in parallel on two read-only connections; both read
   * the store's revision inside their read transaction, and a write committed in between makes them
   * try again, so the graph is always one consistent snapshot.
   */
  public ReadyEngine loadEngine() {
    ensureOpen();
    try {
      for (int attempt = 0; attempt < PARALLEL_LOAD_ATTEMPTS; attempt++) {
        try (Connection beadsReader = openReader();
            Connection edgesReader = openReader()) {
          FutureTask<Snapshot<List<Edge>>> edges =
              new FutureTask<>(() -> snapshot(edgesReader, BeadStore::readEdges));
          Thread thread = new Thread(edges, "store-edge-reader");
          thread.setDaemon(true);
          thread.start();
          Snapshot<List<BeadState>> beads = snapshot(beadsReader, BeadStore::readStates);
          Snapshot<List<Edge>> edgeSnapshot = join(edges);
          if (beads.revision() == edgeSnapshot.revision()) {
            return ReadyEngine.build(beads.value(), edgeSnapshot.value());
          }
        }
      }
      try (Connection reader = openReader()) {
        return snapshot(reader, c -> ReadyEngine.build(readStates(c), readEdges(c))).value();
      }
    } catch (SQLException e) {
      throw new StoreException("bead store " + file + ": " + e.getMessage(), e);
    }
  }

  private static final int PARALLEL_LOAD_ATTEMPTS = 3;

  private record Snapshot<T>(long revision, T value) {}

  /** Runs {@code work} in one read transaction, with the revision it saw. */
  private static <T> Snapshot<T> snapshot(Connection reader, Work<T> work) throws SQLException {
    reader.setAutoCommit(false);
    try {
      long revision =
          queryInt(reader, "SELECT CAST(value AS INTEGER) FROM config WHERE key = 'revision'");
      return new Snapshot<>(revision, work.run(reader));
    } finally {
      reader.rollback();
    }
  }

  private static <T> T join(FutureTask<T> task) throws SQLException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while loading the bead graph", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      throw new StoreException("loading the bead graph: " + e.getCause(), e.getCause());
    }
  }

  private Connection openReader() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(10_000);
    config.setTransactionMode(SQLiteConfig.TransactionMode.DEFERRED);
    return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  static ReadyEngine loadEngine(Connection c) throws SQLException {
    return ReadyEngine.build(readStates(c), readEdges(c));
  }

  private static List<BeadState> readStates(Connection c) throws SQLException {
    List<BeadState> states = new ArrayList<>(queryInt(c, "SELECT count(*) FROM beads"));
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT id, status, priority, issue_type, created_at, defer_until, pinned, ephemeral"
                    + " FROM beads");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        long defer = rs.getLong(6);
        Instant deferUntil = rs.wasNull() ? null : Timestamps.fromEpochNanos(defer);
        states.add(
            new BeadState(
                rs.getString(1),
                rs.getString(2),
                rs.getInt(3),
                rs.getString(4),
                Timestamps.fromEpochNanos(rs.getLong(5)),
                deferUntil,
                rs.getInt(7) != 0,
                rs.getInt(8) != 0));
      }
    }
    return states;
  }

  static List<Edge> readEdges(Connection c) throws SQLException {
    List<Edge> edges = new ArrayList<>(queryInt(c, "SELECT count(*) FROM dependencies"));
    try (PreparedStatement st =
            c.prepareStatement("SELECT issue_id, depends_on_id, type, gate FROM dependencies");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        edges.add(new Edge(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    }
    return edges;
  }

  /**
   * A random id made when the store was created: keeps broker duplicate ids apart across stores.
   */
  public String storeId() {
    return config("store_id").orElseThrow(() -> new StoreException(file + " has no store_id"));
  }

  /** The store's revision: bumped by every committed write. */
  public long revision() {
    return read(
        c ->
            (long) queryInt(c, "SELECT CAST(value AS INTEGER) FROM config WHERE key = 'revision'"));
  }

  /** Incoming {@code blocks} edges of one bead (bd's {@code dependent_count}). */
  public int dependentCount(String id) {
    return read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT count(*) FROM dependencies WHERE depends_on_id = ? AND type = 'blocks'")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
              return rs.next() ? rs.getInt(1) : 0;
            }
          }
        });
  }

  /** Incoming {@code blocks} edges of each id (bd's {@code dependent_count}). */
  public Map<String, Integer> dependentCounts() {
    return read(
        c -> {
          Map<String, Integer> counts = new HashMap<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT depends_on_id, count(*) FROM dependencies WHERE type = 'blocks'"
                          + " GROUP BY depends_on_id");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              counts.put(rs.getString(1), rs.getInt(2));
            }
          }
          return counts;
        });
  }

  /** Beads that depend on {@code id}, each with the edge, for {@code show}. */
  public List<Map.Entry<Bead, String>> dependents(String id) {
    return read(
        c ->
            query(
                c,
                "SELECT b.data, d.type FROM dependencies d JOIN beads b ON b.id = d.issue_id"
                    + " WHERE d.depends_on_id = ? ORDER BY b.id",
                rs -> Map.entry(parse(rs.getString(1)), rs.getString(2)),
                id));
  }

  public List<HistoryEntry> history(String id) {
    return read(
        c ->
            query(
                c,
                "SELECT seq, bead_id, at, actor, event, from_value, to_value FROM history"
                    + " WHERE bead_id = ? ORDER BY seq",
                rs ->
                    new HistoryEntry(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getString(7)),
                id));
  }

  public Optional<String> config(String key) {
    return read(c -> Optional.ofNullable(config(c, key)));
  }

  String config(Connection c, String key) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT value FROM config WHERE key = ?")) {
      st.setString(1, key);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  public void setConfig(String key, String value) {
    inTransaction(
        c -> {
          putConfig(c, key, value);
          return null;
        });
  }

  static void putConfig(Connection c, String key, String value) throws SQLException {
    update(
        c,
        "INSERT INTO config(key, value) VALUES (?, ?)"
            + " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        key,
        value);
  }

  // ---- export ----------------------------------------------------------------------------------

  /**
   * Writes every bead as bd-compatible JSONL, sorted by id, atomically (temp file and rename).
   *
   * @return the number of beads written
   */
  public long exportTo(Path target) throws IOException {
    return JsonlWriter.writeAtomically(target, this::exportTo);
  }

  /** Writes every bead as bd-compatible JSONL, sorted by id, to {@code out}. */
  public long exportTo(java.io.Writer out) throws IOException {
    Map<String, Integer> dependents = dependentCounts();
    try {
      return read(
          c -> {
            long n = 0;
            try (PreparedStatement st = c.prepareStatement("SELECT data FROM beads ORDER BY id");
                ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                Bead bead = parse(rs.getString(1));
                JsonlWriter.writeLine(out, bead, dependents.getOrDefault(bead.id(), 0));
                n++;
              }
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            return n;
          });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  // ---- writes ----------------------------------------------------------------------------------

  /** Creates a bead as {@code bd create} does and returns it. */
  public Bead create(NewBead spec, String actor) {
    return inTransaction(c -> create(c, spec, actor));
  }

  /** {@link #create} inside a caller's transaction. */
  Bead create(Connection c, NewBead spec, String actor) throws SQLException {
    return create(c, spec, null, actor);
  }

  /** {@link #create} inside a caller's transaction, with a design (bd's {@code --design}). */
  Bead create(Connection c, NewBead spec, String design, String actor) throws SQLException {
    Instant now = clock.instant();
    if (spec.parent() != null && load(c, spec.parent()) == null) {
      throw new BeadNotFoundException(spec.parent());
    }
    String id = spec.explicitId() != null ? spec.explicitId() : newId(c, spec, actor, now);
    if (load(c, id) != null) {
      throw new RefusedException("issue ID already exists: " + id);
    }
    List<Dependency> deps = new ArrayList<>();
    String stamp = Timestamps.format(now);
    if (spec.parent() != null) {
      deps.add(
          Dependency.create(id, spec.parent(), DependencyType.PARENT_CHILD_TYPE, stamp, actor));
    }
    for (String ref : spec.dependencies()) {
      int colon = ref.indexOf(':');
      String type = colon > 0 ? ref.substring(0, colon) : DependencyType.BLOCKS;
      String target = colon > 0 ? ref.substring(colon + 1) : ref;
      if (load(c, target) == null) {
        throw new RefusedException("dependency target " + target + " not found");
      }
      if (target.equals(id)) {
        throw new RefusedException("issue cannot depend on itself");
      }
      deps.add(Dependency.create(id, target, type, stamp, actor));
    }
    BeadEditor editor =
        BeadEditor.create(id, spec.title(), now)
            .priority(spec.priority())
            .text("issue_type", spec.issueType())
            .text("description", spec.description())
            .text("design", design)
            .text("assignee", spec.assignee())
            .text("created_by", actor)
            .labels(spec.labels())
            .dependencies(deps);
    Bead bead;
    try {
      bead = editor.buildValidated();
    } catch (BeadFormatException e) {
      throw new RefusedException(e.getMessage());
    }
    try (RowWriter w = new RowWriter(c, clock)) {
      w.insert(bead);
      w.insertDependencies(bead.dependencies());
      w.history(id, actor, "created", null, bead.status());
    }
    return bead;
  }

  private String newId(Connection c, NewBead spec, String actor, Instant now) throws SQLException {
    if (spec.parent() != null) {
      return nextChildId(c, spec.parent());
    }
    String prefix = prefix(c);
    long topLevel;
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT count(*) FROM beads WHERE id LIKE ? || '-%'"
                + " AND instr(substr(id, length(?) + 2), '.') = 0")) {
      st.setString(1, prefix);
      st.setString(2, prefix);
      try (ResultSet rs = st.executeQuery()) {
        topLevel = rs.next() ? rs.getLong(1) : 0;
      }
    }
    String description = spec.description() == null ? "" : spec.description();
    for (int length = BeadIds.adaptiveLength(topLevel);
        length <= BeadIds.MAX_HASH_LENGTH;
        length++) {
      for (int nonce = 0; nonce < BeadIds.NONCES_PER_LENGTH; nonce++) {
        String candidate =
            BeadIds.hashId(prefix, spec.title(), description, actor, now, length, nonce);
        if (load(c, candidate) == null) {
          return candidate;
        }
      }
    }
    throw new StoreException("failed to generate a unique id with prefix " + prefix);
  }

  /** The highest child number {@code <parent>.<n>} used so far (0 if none). */
  public int lastChild(String parent) {
    return read(c -> lastChild(c, parent));
  }

  private static String nextChildId(Connection c, String parent) throws SQLException {
    int next = lastChild(c, parent) + 1;
    String id;
    try {
      id = BeadIds.childId(parent, next);
    } catch (IllegalArgumentException e) {
      throw new RefusedException(e.getMessage());
    }
    putChildCounter(c, parent, next);
    return id;
  }

  private static int lastChild(Connection c, String parent) throws SQLException {
    int last = 0;
    try (PreparedStatement st =
        c.prepareStatement("SELECT last_child FROM child_counters WHERE parent_id = ?")) {
      st.setString(1, parent);
      try (ResultSet rs = st.executeQuery()) {
        if (rs.next()) {
          last = rs.getInt(1);
        }
      }
    }
    try (PreparedStatement st =
        // why a range, not LIKE: it walks the primary key's index instead of every bead
        c.prepareStatement("SELECT id FROM beads WHERE id > ? AND id < ?")) {
      st.setString(1, parent + ".");
      st.setString(2, parent + "/");
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString(1);
          if (parent.equals(BeadIds.parentOf(id))) {
            last = Math.max(last, BeadIds.childNumber(id));
          }
        }
      }
    }
    return last;
  }

  /** Makes sure the next child id of {@code parent} is above {@code n}. */
  static void putChildCounter(Connection c, String parent, int n) throws SQLException {
    update(
        c,
        "INSERT INTO child_counters(parent_id, last_child) VALUES (?, ?) ON CONFLICT(parent_id)"
            + " DO UPDATE SET last_child = max(last_child, excluded.last_child)",
        parent,
        n);
  }

  /**
   * The prefix for new ids: the configured one, else the one most ids in the store use, else the
   * project directory's name.
   */
  public String prefix() {
    return read(this::prefix);
  }

  private String prefix(Connection c) throws SQLException {
    String configured = config(c, CONFIG_ISSUE_PREFIX);
    if (configured != null) {
      return configured;
    }
    String common = mostCommonPrefix(c);
    if (common != null) {
      return common;
    }
    Path project = file.toAbsolutePath().getParent();
    if (project != null
        && project.getFileName() != null
        && project.getFileName().toString().equals(".beadpool")) {
      project = project.getParent();
    }
    return BeadIds.prefixFromDirectory(
        project == null || project.getFileName() == null ? "bd" : project.getFileName().toString());
  }

  private static String mostCommonPrefix(Connection c) throws SQLException {
    Map<String, Integer> counts = new HashMap<>();
    try (PreparedStatement st = c.prepareStatement("SELECT id FROM beads");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        String prefix = BeadIds.prefixOf(rs.getString(1));
        if (prefix != null) {
          counts.merge(prefix, 1, Integer::sum);
        }
      }
    }
    return counts.entrySet().stream()
        .max(
            Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .orElse(null);
  }

  /** Applies the changes of {@code bd update}, recording each changed field in history. */
  public Bead update(String id, BeadUpdate update, String actor) {
    return inTransaction(
        c -> {
          Bead before = require(c, id);
          Instant now = clock.instant();
          BeadEditor editor = before.edit();
          if (update.status() != null && !update.status().equals(before.status())) {
            setStatus(editor, before, update.status(), now);
          }
          if (update.assignee() != null) {
            editor.text("assignee", update.assignee());
          }
          if (update.priority() != null) {
            editor.priority(update.priority());
          }
          if (update.title() != null) {
            editor.text("title", update.title());
          }
          if (update.description() != null) {
            editor.text("description", update.description());
          }
          if (update.design() != null) {
            editor.text("design", update.design());
          }
          if (update.acceptanceCriteria() != null) {
            editor.text("acceptance_criteria", update.acceptanceCriteria());
          }
          if (update.notes() != null) {
            editor.text("notes", update.notes());
          }
          if (update.appendNotes() != null) {
            String notes = before.text("notes");
            editor.text(
                "notes",
                notes == null || notes.isEmpty()
                    ? update.appendNotes()
                    : notes + "\n" + update.appendNotes());
          }
          Bead after;
          try {
            after = editor.touch(now).buildValidated();
          } catch (BeadFormatException e) {
            throw new RefusedException(id + ": " + e.getMessage());
          }
          try (RowWriter w = new RowWriter(c, clock)) {
            writeChange(w, before, after, actor);
          }
          return after;
        });
  }

  /**
   * {@code bd label add} and {@code bd label remove} at once: adds the labels the bead lacks, then
   * removes the ones asked (absent ones are ignored), recording each change in history.
   */
  public Bead relabel(String id, List<String> add, List<String> remove, String actor) {
    return inTransaction(
        c -> {
          Bead before = require(c, id);
          java.util.LinkedHashSet<String> labels = new java.util.LinkedHashSet<>(before.labels());
          List<String[]> changes = new ArrayList<>();
          for (String label : add == null ? List.<String>of() : add) {
            if (label == null || label.isBlank()) {
              throw new RefusedException("a label must not be empty");
            }
            if (labels.add(label)) {
              changes.add(new String[] {"label_added", null, label});
            }
          }
          for (String label : remove == null ? List.<String>of() : remove) {
            if (labels.remove(label)) {
              changes.add(new String[] {"label_removed", label, null});
            }
          }
          Bead after = before.edit().labels(List.copyOf(labels)).touch(clock.instant()).build();
          try (RowWriter w = new RowWriter(c, clock)) {
            writeChange(w, before, after, actor);
            for (String[] change : changes) {
              w.history(id, actor, change[0], change[1], change[2]);
            }
          }
          return after;
        });
  }

  /**
   * {@code bd comment}: appends a comment by {@code actor}, stamped now, with a new string id (bd's
   * form since v1.0), to the bead's {@code comments} and the comments index.
   */
  public Bead comment(String id, String text, String actor) {
    if (text == null || text.isBlank()) {
      throw new RefusedException("comment text must not be empty");
    }
    return inTransaction(
        c -> {
          Bead before = require(c, id);
          Instant now = clock.instant();
          ObjectNode comment = Json.MAPPER.createObjectNode();
          comment.put("id", java.util.UUID.randomUUID().toString());
          comment.put("issue_id", id);
          comment.put("author", actor);
          comment.put("text", text);
          comment.put("created_at", Timestamps.format(now));
          List<ObjectNode> comments = new ArrayList<>(before.comments());
          comments.add(comment);
          Bead after = before.edit().comments(comments).touch(now).build();
          try (RowWriter w = new RowWriter(c, clock)) {
            writeChange(w, before, after, actor);
            w.history(id, actor, "commented", null, text);
          }
          return after;
        });
  }

  /**
   * Merges {@code patch}'s keys into the bead's {@code metadata} object (created if absent); a key
   * whose value is null is removed, as in a JSON merge patch. A metadata string holding a JSON
   * object is merged and kept a string. Any other metadata value is refused.
   */
  public Bead mergeMetadata(String id, ObjectNode patch, String actor) {
    if (patch == null) {
      throw new RefusedException("metadata to merge is missing");
    }
    return inTransaction(
        c -> {
          Bead before = require(c, id);
          JsonNode current = before.field("metadata");
          boolean asText = current != null && current.isTextual() && !current.asText().isEmpty();
          JsonNode parsed = before.metadata();
          if (parsed.isMissingNode() && !asText) {
            parsed = Json.MAPPER.createObjectNode();
          }
          if (!(parsed instanceof ObjectNode metadata)) {
            throw new RefusedException(
                "metadata of "
                    + id
                    + " is not a JSON object (it is "
                    + (parsed.isMissingNode()
                        ? "unreadable"
                        : parsed.getNodeType().name().toLowerCase())
                    + "), cannot merge keys into it");
          }
          patch
              .fields()
              .forEachRemaining(
                  e -> {
                    if (e.getValue() == null || e.getValue().isNull()) {
                      metadata.remove(e.getKey());
                    } else {
                      metadata.set(e.getKey(), e.getValue().deepCopy());
                    }
                  });
          JsonNode merged = asText ? metadata.textNode(Json.compact(metadata)) : metadata;
          Bead after = before.edit().set("metadata", merged).touch(clock.instant()).build();
          try (RowWriter w = new RowWriter(c, clock)) {
            writeChange(w, before, after, actor);
            w.history(id, actor, "metadata", null, Json.compact(patch));
          }
          return after;
        });
  }

  static void setStatus(BeadEditor editor, Bead before, String status, Instant now) {
    editor.text("status", status);
    if (Statuses.CLOSED.equals(status)) {
      editor.timestamp("closed_at", now);
    } else if (before.isClosed()) {
      // reopening: bd's rule is closed_at iff closed
      editor.text("closed_at", null).text("close_reason", null);
    }
    if (Statuses.IN_PROGRESS.equals(status) && before.text("started_at") == null) {
      editor.timestamp("started_at", now);
    }
  }

  /**
   * bd's claim, as one compare-and-set: succeeds only if the bead is open and unassigned, or
   * already claimed by the same actor.
   */
  public Bead claim(String id, String actor) {
    return inTransaction(
        c -> {
          Bead before = require(c, id);
          String holder = before.assignee();
          if (holder != null && !holder.equals(actor)) {
            throw new RefusedException("issue " + id + " already claimed by " + holder);
          }
          if (actor.equals(holder) && Statuses.IN_PROGRESS.equals(before.status())) {
            return before;
          }
          if (!Statuses.OPEN.equals(before.status())) {
            throw new RefusedException("issue " + id + " not claimable: status " + before.status());
          }
          Instant now = clock.instant();
          BeadEditor editor = before.edit().text("assignee", actor);
          setStatus(editor, before, Statuses.IN_PROGRESS, now);
          Bead after = editor.touch(now).build();
          try (RowWriter w = new RowWriter(c, clock)) {
            writeChange(w, before, after, actor);
          }
          return after;
        });
  }

  /**
   * Closes a bead as {@code bd close}: refused while it has open blockers or, for an epic, open
   * children, unless forced. Closing a closed bead changes nothing.
   */
  public Bead close(String id, String reason, boolean force, String actor) {
    return inTransaction(
        c -> {
          Bead before = require(c, id);
          if (before.isClosed()) {
            return before;
          }
          if (!force) {
            List<String> blockers = openTargets(c, id, "('blocks', 'conditional-blocks')");
            if (!blockers.isEmpty()) {
              throw new RefusedException(
                  "cannot close "
                      + id
                      + ": blocked by open issues "
                      + blockers
                      + " (use --force to override)");
            }
            if (IssueTypes.EPIC.equals(before.issueType())) {
              int open = openChildren(c, id);
              if (open > 0) {
                throw new RefusedException(
                    "cannot close epic "
                        + id
                        + ": "
                        + open
                        + " open child issue(s); close children first or use --force to override");
              }
            }
          }
          Instant now = clock.instant();
          BeadEditor editor = before.edit();
          setStatus(editor, before, Statuses.CLOSED, now);
          editor.text("close_reason", reason == null || reason.isBlank() ? "Closed" : reason);
          Bead after = editor.touch(now).build();
          try (RowWriter w = new RowWriter(c, clock)) {
            writeChange(w, before, after, actor);
          }
          return after;
        });
  }

  private static List<String> openTargets(Connection c, String id, String types)
      throws SQLException {
    return query(
        c,
        "SELECT d.depends_on_id FROM dependencies d JOIN beads t ON t.id = d.depends_on_id"
            + " WHERE d.issue_id = ? AND d.type IN "
            + types
            + " AND t.status NOT IN ('closed', 'pinned') ORDER BY d.depends_on_id",
        rs -> rs.getString(1),
        id);
  }

  private static int openChildren(Connection c, String id) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT count(*) FROM dependencies d JOIN beads ch ON ch.id = d.issue_id"
                + " WHERE d.depends_on_id = ? AND d.type = 'parent-child'"
                + " AND ch.status NOT IN ('closed', 'pinned')")) {
      st.setString(1, id);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  /**
   * {@code bd dep add FROM TO}: FROM depends on TO. Refuses unknown ids, self-dependencies, a child
   * depending on its own parent, and any edge that would close a cycle (the message prints it).
   */
  public Dependency addDependency(String from, String to, String type, String actor) {
    if (type == null || type.isBlank() || type.length() > 50) {
      throw new RefusedException(
          "invalid dependency type '" + type + "': must be non-empty and at most 50 characters");
    }
    return inTransaction(
        c -> {
          Bead bead = require(c, from);
          if (load(c, to) == null) {
            throw new BeadNotFoundException(to);
          }
          DependencyType kind = DependencyType.of(type);
          if (kind != DependencyType.PARENT_CHILD && isDescendant(from, to)) {
            throw new RefusedException(
                "cannot add dependency: "
                    + from
                    + " is already a child of "
                    + to
                    + "; children wait for their parent through the hierarchy, an explicit"
                    + " dependency would deadlock");
          }
          ReadyEngine engine = loadEngine(c);
          try {
            engine.addEdge(new Edge(from, to, type, null));
          } catch (GraphException e) {
            throw new RefusedException("cannot add dependency: " + e.getMessage());
          }
          Instant now = clock.instant();
          Dependency dep = Dependency.create(from, to, type, Timestamps.format(now), actor);
          List<Dependency> deps = new ArrayList<>();
          for (Dependency d : bead.dependencies()) {
            if (!d.dependsOnId().equals(to)) {
              deps.add(d);
            }
          }
          deps.add(dep);
          Bead after = bead.edit().dependencies(deps).touch(now).build();
          try (RowWriter w = new RowWriter(c, clock)) {
            writeChange(w, bead, after, actor);
            w.history(from, actor, "dependency_added", null, type + " " + to);
          }
          return dep;
        });
  }

  private static boolean isDescendant(String id, String ancestor) {
    for (String p = BeadIds.parentOf(id); p != null; p = BeadIds.parentOf(p)) {
      if (p.equals(ancestor)) {
        return true;
      }
    }
    return false;
  }

  /** {@code bd dep remove FROM TO}. */
  public void removeDependency(String from, String to, String actor) {
    inTransaction(
        c -> {
          Bead bead = require(c, from);
          List<Dependency> kept = new ArrayList<>();
          Dependency removed = null;
          for (Dependency d : bead.dependencies()) {
            if (d.dependsOnId().equals(to)) {
              removed = d;
            } else {
              kept.add(d);
            }
          }
          if (removed == null) {
            throw new RefusedException("no dependency from " + from + " on " + to);
          }
          Bead after = bead.edit().dependencies(kept).touch(clock.instant()).build();
          try (RowWriter w = new RowWriter(c, clock)) {
            writeChange(w, bead, after, actor);
            w.history(from, actor, "dependency_removed", removed.type() + " " + to, null);
          }
          return null;
        });
  }

  // ---- an agent's operations -------------------------------------------------------------------

  /**
   * Applies an agent's {@code bd} operations in order, all or none: inside the caller's transaction
   * (e.g. with the run's result) under a savepoint, or in a transaction of its own. Each operation
   * goes through the store's own method and rules and leaves its usual history, recorded for {@code
   * actor}. A create keeps the agent's id when it is well-formed, free and (with a parent) a child
   * id of the parent; otherwise it gets a new id and every later operation follows the rename.
   *
   * <p>If one operation breaks a rule, everything the set did is rolled back to the savepoint and
   * {@link OperationsRefusedException} says which and why; the caller's transaction stays open with
   * its own writes, to commit (recording the refusal) or not. The store keeps no state in memory
   * besides its rows, so the rollback leaves no trace.
   *
   * @throws OperationsRefusedException naming the first operation that broke a rule
   */
  public AppliedOperations applyOperations(List<BdOperation> ops, String actor)
      throws OperationsRefusedException {
    if (ops.isEmpty()) {
      return AppliedOperations.NONE;
    }
    return inTransaction(
        c -> {
          execute(c, "SAVEPOINT bd_operations");
          try {
            AppliedOperations applied = new OperationsApplier(this, c, actor).apply(ops);
            execute(c, "RELEASE bd_operations");
            return applied;
          } catch (SQLException | RuntimeException | Error e) {
            try {
              execute(c, "ROLLBACK TO bd_operations");
              execute(c, "RELEASE bd_operations");
            } catch (SQLException rollback) {
              e.addSuppressed(rollback);
            }
            throw e;
          }
        });
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (java.sql.Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  // ---- row writing -----------------------------------------------------------------------------

  static Bead require(Connection c, String id) throws SQLException {
    Bead bead = load(c, id);
    if (bead == null) {
      throw new BeadNotFoundException(id);
    }
    return bead;
  }

  static Bead load(Connection c, String id) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT data FROM beads WHERE id = ?")) {
      st.setString(1, id);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? parse(rs.getString(1)) : null;
      }
    }
  }

  static Bead parse(String data) {
    JsonNode node = Json.parseOrNull(data);
    if (!(node instanceof ObjectNode object)) {
      throw new StoreException("corrupt bead row: " + data);
    }
    try {
      return Bead.fromJson(object);
    } catch (BeadFormatException e) {
      throw new StoreException("corrupt bead row: " + e.getMessage(), e);
    }
  }

  /** Writes a changed bead and its indexes, and records status and assignee changes. */
  static void writeChange(RowWriter w, Bead before, Bead after, String actor) throws SQLException {
    w.update(after);
    w.insertDependencies(after.dependencies());
    if (!before.status().equals(after.status())) {
      w.history(after.id(), actor, "status", before.status(), after.status());
    }
    if (!java.util.Objects.equals(before.assignee(), after.assignee())) {
      w.history(after.id(), actor, "assignee", before.assignee(), after.assignee());
    }
    for (String field :
        List.of("priority", "title", "description", "design", "acceptance_criteria", "notes")) {
      JsonNode a = before.field(field);
      JsonNode b = after.field(field);
      if (!java.util.Objects.equals(a, b)) {
        w.history(
            after.id(), actor, field, a == null ? null : a.asText(), b == null ? null : b.asText());
      }
    }
  }

  /** Reads one row into a value. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Runs a query with string parameters and maps every row. */
  static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, String... params)
      throws SQLException {
    List<T> rows = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        st.setString(i + 1, params[i]);
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
      }
    }
    return rows;
  }

  static int queryInt(Connection c, String sql) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql);
        ResultSet rs = st.executeQuery()) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /**
   * Runs one statement once and returns the number of rows it changed. Parameters are bound with
   * {@code setObject}, which in the SQLite driver binds a String, Integer or Long exactly as {@code
   * setString}, {@code setInt} or {@code setLong} do, and null as {@code setNull} does. A statement
   * run many times (an import, a row writer) keeps its own prepared statement instead.
   */
  static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        st.setObject(i + 1, params[i]);
      }
      return st.executeUpdate();
    }
  }

  // ---- import ----------------------------------------------------------------------------------

  /**
   * Imports a bd export by bd's rules (upsert by id, stale {@code updated_at} skipped, edges to
   * unknown ids left out of the graph) in one transaction: a crash or an error part-way leaves the
   * store as it was.
   *
   * @param progress told the number of each line read; may throw to abort the import
   */
  public ImportResult importFile(Path jsonl, String actor, java.util.function.LongConsumer progress)
      throws IOException {
    return new Importer(this, jsonl, actor, progress).run();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("closing " + file + ": " + e.getMessage(), e);
    }
  }
}
