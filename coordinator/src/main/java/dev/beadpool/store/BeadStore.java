package dev.beadpool.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Dependency;
import dev.beadpool.graph.ReadyEngine;
import dev.beadpool.jsonl.JsonlWriter;
import dev.beadpool.protocol.BdOperation;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The durable bead store: one SQLite file (WAL, synchronous commits), every write one transaction
 * that either happens whole or not at all, every state change appended to history.
 *
 * <p>This class is the store's front: each method runs one duty's class ({@link BeadQueries},
 * {@link BeadWriters}, {@link IdAllocator}, {@link Importer}, {@link Exporter}, {@link
 * GraphLoader}, {@link AgentOperations}) in a transaction of {@link Transactions}. Those receive
 * what they need, never the store.
 *
 * <p>Thread-safe: reads and transactions are serialized on the store's one connection.
 */
public final class BeadStore implements AutoCloseable {
  /** Where the store lives unless told otherwise, relative to the project directory. */
  public static final Path DEFAULT_PATH = Path.of(".beadpool", "beads.db");

  public static final String CONFIG_ISSUE_PREFIX = StoreConfig.ISSUE_PREFIX;

  private final Transactions transactions;
  private final Clock clock;
  private final IdAllocator ids;
  private final BeadWriters writers;
  private final AgentOperations operations;

  private BeadStore(Transactions transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
    this.ids = new IdAllocator(transactions.file());
    this.writers = BeadWriters.of(clock, ids);
    this.operations = new AgentOperations(writers);
  }

  /** Opens (creating if needed) the store at {@code file} and migrates its schema. */
  public static BeadStore open(Path file, Clock clock) {
    return new BeadStore(Transactions.open(file), clock);
  }

  public Path file() {
    return transactions.file();
  }

  public Clock clock() {
    return clock;
  }

  Transactions transactions() {
    return transactions;
  }

  BeadWriters writers() {
    return writers;
  }

  AgentOperations operations() {
    return operations;
  }

  /**
   * Runs several store operations as one transaction: each operation inside joins it, and it
   * commits (one fsync) or rolls back whole. For batches, such as a burst of results.
   */
  public <T> T batch(Supplier<T> work) {
    return transactions.inTransaction(c -> work.get());
  }

  /** Runs {@code work} on the store's connection (tests look at rows with it). */
  <T> T read(Sql.Work<T> work) {
    return transactions.read(work);
  }

  // ---- reads -----------------------------------------------------------------------------------

  public Optional<Bead> find(String id) {
    return transactions.read(c -> Optional.ofNullable(BeadRows.load(c, id)));
  }

  public Bead get(String id) {
    return find(id).orElseThrow(() -> new BeadNotFoundException(id));
  }

  public int count() {
    return transactions.read(c -> Sql.queryInt(c, "SELECT count(*) FROM beads"));
  }

  /** The beads not closed that carry {@code label}, by id: an index lookup, not a scan. */
  public List<Bead> openWithLabel(String label) {
    return transactions.read(c -> BeadQueries.openWithLabel(c, label));
  }

  /** Beads matching the filter, by id. */
  public List<Bead> list(BeadFilter filter) {
    return transactions.read(c -> BeadQueries.list(c, filter));
  }

  /** The beads with these ids, in the order given; unknown ids are left out. */
  public List<Bead> getAll(List<String> ids) {
    return transactions.read(c -> BeadQueries.getAll(c, ids));
  }

  /** The readiness graph as one consistent snapshot, cheap even for 100k beads. */
  public ReadyEngine loadEngine() {
    return new GraphLoader(transactions).load();
  }

  /**
   * A random id made when the store was created: keeps broker duplicate ids apart across stores.
   */
  public String storeId() {
    return config("store_id").orElseThrow(() -> new StoreException(file() + " has no store_id"));
  }

  /** The store's revision: bumped by every committed write. */
  public long revision() {
    return transactions.read(StoreConfig::revision);
  }

  /** Incoming {@code blocks} edges of one bead (bd's {@code dependent_count}). */
  public int dependentCount(String id) {
    return transactions.read(c -> BeadQueries.dependentCount(c, id));
  }

  /** Incoming {@code blocks} edges of each id (bd's {@code dependent_count}). */
  public Map<String, Integer> dependentCounts() {
    return transactions.read(BeadQueries::dependentCounts);
  }

  /** Beads that depend on {@code id}, each with the edge, for {@code show}. */
  public List<Map.Entry<Bead, String>> dependents(String id) {
    return transactions.read(c -> BeadQueries.dependents(c, id));
  }

  public List<HistoryEntry> history(String id) {
    return transactions.read(c -> BeadQueries.history(c, id));
  }

  public Optional<String> config(String key) {
    return transactions.read(c -> Optional.ofNullable(StoreConfig.get(c, key)));
  }

  public void setConfig(String key, String value) {
    transactions.inTransaction(
        c -> {
          StoreConfig.put(c, key, value);
          return null;
        });
  }

  /**
   * The prefix for new ids: the configured one, else the one most ids in the store use, else the
   * project directory's name.
   */
  public String prefix() {
    return transactions.read(ids::prefix);
  }

  /** The highest child number {@code <parent>.<n>} used so far (0 if none). */
  public int lastChild(String parent) {
    return transactions.read(c -> IdAllocator.lastChild(c, parent));
  }

  // ---- import and export -----------------------------------------------------------------------

  /**
   * Imports a bd export by bd's rules (upsert by id, stale {@code updated_at} skipped, edges to
   * unknown ids left out of the graph) in one transaction: a crash or an error part-way leaves the
   * store as it was.
   *
   * @param progress told the number of each line read; may throw to abort the import
   */
  public ImportResult importFile(Path jsonl, String actor, LongConsumer progress)
      throws IOException {
    return new Importer(transactions, clock, jsonl, actor, progress).run();
  }

  /**
   * Writes every bead as bd-compatible JSONL, sorted by id, atomically (temp file and rename).
   *
   * @return the number of beads written
   */
  public long exportTo(Path target) throws IOException {
    return JsonlWriter.writeAtomically(target, new Exporter(transactions)::exportTo);
  }

  /** Writes every bead as bd-compatible JSONL, sorted by id, to {@code out}. */
  public long exportTo(Writer out) throws IOException {
    return new Exporter(transactions).exportTo(out);
  }

  // ---- writes ----------------------------------------------------------------------------------

  /** Creates a bead as {@code bd create} does and returns it. */
  public Bead create(NewBead spec, String actor) {
    return transactions.inTransaction(c -> writers.creation().create(c, spec, null, actor));
  }

  /** Applies the changes of {@code bd update}, recording each changed field in history. */
  public Bead update(String id, BeadUpdate update, String actor) {
    return transactions.inTransaction(c -> writers.fields().update(c, id, update, actor));
  }

  /**
   * {@code bd label add} and {@code bd label remove} at once: adds the labels the bead lacks, then
   * removes the ones asked (absent ones are ignored), recording each change in history.
   */
  public Bead relabel(String id, List<String> add, List<String> remove, String actor) {
    return transactions.inTransaction(c -> writers.fields().relabel(c, id, add, remove, actor));
  }

  /**
   * {@code bd comment}: appends a comment by {@code actor}, stamped now, with a new string id (bd's
   * form since v1.0), to the bead's {@code comments} and the comments index.
   */
  public Bead comment(String id, String text, String actor) {
    if (text == null || text.isBlank()) {
      throw new RefusedException("comment text must not be empty");
    }
    return transactions.inTransaction(c -> writers.fields().comment(c, id, text, actor));
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
    return transactions.inTransaction(c -> writers.fields().mergeMetadata(c, id, patch, actor));
  }

  /**
   * bd's claim, as one compare-and-set: succeeds only if the bead is open and unassigned, or
   * already claimed by the same actor.
   */
  public Bead claim(String id, String actor) {
    return transactions.inTransaction(c -> writers.status().claim(c, id, actor));
  }

  /**
   * Closes a bead as {@code bd close}: refused while it has open blockers or, for an epic, open
   * children, unless forced. Closing a closed bead changes nothing.
   */
  public Bead close(String id, String reason, boolean force, String actor) {
    return transactions.inTransaction(c -> writers.status().close(c, id, reason, force, actor));
  }

  /**
   * {@code bd dep add FROM TO}: FROM depends on TO. Refuses unknown ids, self-dependencies, a child
   * depending on its own parent, and any edge that would close a cycle (the message prints it).
   */
  public Dependency addDependency(String from, String to, String type, String actor) {
    DependencyWrites.checkType(type);
    return transactions.inTransaction(c -> writers.dependencies().add(c, from, to, type, actor));
  }

  /** {@code bd dep remove FROM TO}. */
  public void removeDependency(String from, String to, String actor) {
    transactions.inTransaction(
        c -> {
          writers.dependencies().remove(c, from, to, actor);
          return null;
        });
  }

  /**
   * Applies an agent's {@code bd} operations in order, all or none: inside the caller's transaction
   * (e.g. with the run's result) under a savepoint, or in a transaction of its own. Each operation
   * goes through the store's own writers and rules and leaves its usual history, recorded for
   * {@code actor}. A create keeps the agent's id when it is well-formed, free and (with a parent) a
   * child id of the parent; otherwise it gets a new id and every later operation follows the
   * rename.
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
    return transactions.inTransaction(c -> operations.apply(c, ops, actor));
  }

  @Override
  public void close() {
    transactions.close();
  }
}
