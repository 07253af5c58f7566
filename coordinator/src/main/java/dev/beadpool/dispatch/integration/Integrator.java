package dev.beadpool.dispatch.integration;

import dev.beadpool.config.RepositoryConfig;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.MergeEntry;
import dev.beadpool.store.MergeLedger;
import dev.beadpool.store.MergePhase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The merge queue's one integrator: takes pushed beads in the queue's order (priority, then the
 * oldest push), merges each bead's commit into the integration branch in its own clone ({@code
 * --no-ff}, a {@code Bead: <id>} trailer), runs {@code verify} on the merged tree, pushes (never
 * forced; if the remote moved, it fetches and merges again), then records the merge.
 *
 * <p>Serialized: one thread ({@code coordinator-integrator}) does all of it, and one coordinator
 * owns a store (its lock), so two merges never run at once. Crash safety: a merge is recognised as
 * done by the bead's commit being in the integration branch; before each merge, and for every row
 * at start ({@link #recover()}), the integrator fetches and looks, and records a merge it finds
 * instead of making another. So a {@code kill -9} between the push and the record neither loses nor
 * doubles a merge.
 *
 * <p>git failures that are not the bead's (the network, a remote that is away) are retried with
 * {@link IntegrationSettings#networkRetry()}; no bead is charged for them.
 */
public final class Integrator implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Integrator.class);

  /** What a pushed result's commit must look like: a full or abbreviated object name. */
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,64}");

  /**
   * What a pushed branch must look like: {@code bead/} and the bead's id made safe for a ref as
   * workers make it (letters, digits, {@code . _ -}, at most 80), so no refspec or option can hide
   * in it.
   */
  private static final Pattern BRANCH = Pattern.compile("bead/[A-Za-z0-9_-][A-Za-z0-9._-]{0,79}");

  /** What the integrator is doing now, for {@code status}. */
  public enum Activity {
    IDLE,
    FETCHING,
    MERGING,
    VERIFYING,
    PUSHING,
    OPENING_PULL_REQUEST
  }

  /** The bead being integrated and what is being done with it; bead null when idle. */
  public record Current(String beadId, Activity activity) {}

  private final RepositoryConfig repository;
  private final IntegrationSettings settings;
  private final BeadStore store;
  private final MergeLedger merges;
  private final MergeRecords records;
  private final Clock clock;
  private final IntegrationClone clone;
  private final Verify verify;
  private final PullRequests pullRequests;
  private final Map<String, Instant> prChecked = new HashMap<>();
  private final Object signal = new Object();

  private volatile Current current = new Current(null, Activity.IDLE);
  private volatile boolean stopped;
  private volatile String lastError;
  private boolean woken;
  private Consumer<String> afterPush = id -> {};

  /**
   * @param stateDir the coordinator's state directory ({@code .beadpool/}); the clone is its {@code
   *     integration/}
   */
  public Integrator(
      RepositoryConfig repository,
      IntegrationSettings settings,
      Path stateDir,
      BeadStore store,
      MergeRecords records,
      Clock clock) {
    this.repository = repository;
    this.settings = settings;
    this.store = store;
    this.merges = records.ledger();
    this.records = records;
    this.clock = clock;
    this.clone =
        new IntegrationClone(
            stateDir.resolve("integration"), repository.url(), repository.branch(), settings);
    this.verify = new Verify(repository.verify(), settings);
    this.pullRequests = new PullRequests(repository.pullRequest(), settings);
  }

  /** The state directory of a store: where its clone goes. */
  public static Path stateDirOf(Path storeFile) {
    return storeFile.toAbsolutePath().getParent();
  }

  public RepositoryConfig repository() {
    return repository;
  }

  public Current current() {
    return current;
  }

  /** The last git error that made the integrator wait, or null since the last success. */
  public String lastError() {
    return lastError;
  }

  /**
   * A test's hook, called right after a push and before its record; a hook that throws stands for a
   * coordinator killed there.
   */
  public void afterPush(Consumer<String> hook) {
    this.afterPush = hook;
  }

  /** Something was pushed or approved: look at the queue now. Any thread. */
  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  // ---- the thread ------------------------------------------------------------------------------

  @Override
  public void run() {
    int failures = 0;
    boolean recovered = false;
    while (!stopped) {
      try {
        if (!recovered) {
          recover();
          recovered = true;
        }
        boolean worked = step();
        failures = 0;
        lastError = null;
        if (!worked) {
          await(settings.idlePoll().toMillis(), true);
        }
      } catch (GitUnavailableException | IOException e) {
        failures++;
        lastError = e.getMessage();
        long delay = settings.networkRetry().delay(failures).toMillis();
        log.warn(
            "integrator waits {} ms (failure {} in a row): {}", delay, failures, e.getMessage());
        await(delay, false);
      } catch (Throwable t) {
        failures++;
        lastError = t.toString();
        long delay = settings.networkRetry().delay(failures).toMillis();
        log.error("integrator failed; trying again in {} ms", delay, t);
        await(delay, false);
      } finally {
        current = new Current(null, Activity.IDLE);
      }
    }
  }

  private void await(long millis, boolean wakeable) {
    long until = System.nanoTime() + millis * 1_000_000;
    synchronized (signal) {
      try {
        while (!stopped && !(wakeable && woken)) {
          long left = (until - System.nanoTime()) / 1_000_000;
          if (left <= 0) {
            break;
          }
          signal.wait(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = true;
      }
      woken = false;
    }
  }

  @Override
  public void close() {
    stopped = true;
    wake();
  }

  // ---- the duty --------------------------------------------------------------------------------

  /**
   * At start: for every row not recorded as merged, looks whether its commit is in the integration
   * branch already (a predecessor pushed and died before its record) and records those merges.
   */
  public void recover() throws IOException, GitUnavailableException {
    List<MergeEntry> pending = merges.pending();
    if (pending.isEmpty()) {
      return;
    }
    clone.ensure();
    current = new Current(null, Activity.FETCHING);
    clone.fetch(null);
    for (MergeEntry e : pending) {
      if (validCommit(e) && Boolean.TRUE.equals(clone.contains(e.commit()))) {
        log.info(
            "recovered merge bead={} commit={}: already in {}",
            e.beadId(),
            e.commit(),
            repository.branch());
        records.merged(e, clone.mergeCommitOf(e.commit()), repository.branch(), clone.head());
      }
    }
  }

  /**
   * Integrates the next bead the queue has for it (or checks the open pull requests that are due).
   *
   * @return false if there was nothing to do
   */
  public boolean step() throws IOException, GitUnavailableException {
    List<MergeEntry> pending = merges.pending();
    boolean manual = RepositoryConfig.MERGE_MANUAL.equals(repository.merge());
    for (MergeEntry e : pending) {
      if (e.phase() == MergePhase.PR_CREATED) {
        if (pullRequestDue(e)) {
          checkPullRequest(e);
          return true;
        }
        continue;
      }
      if (manual && !e.approved()) {
        continue; // waits for a human's `beadpool merge`
      }
      integrate(e);
      return true;
    }
    return false;
  }

  private boolean pullRequestDue(MergeEntry e) {
    Instant last = prChecked.get(e.beadId());
    return last == null || !clock.instant().isBefore(last.plus(settings.pullRequestPoll()));
  }

  private void checkPullRequest(MergeEntry e) throws IOException, GitUnavailableException {
    prChecked.put(e.beadId(), clock.instant());
    clone.ensure();
    current = new Current(e.beadId(), Activity.FETCHING);
    clone.fetch(null);
    if (validCommit(e) && Boolean.TRUE.equals(clone.contains(e.commit()))) {
      prChecked.remove(e.beadId());
      records.merged(e, clone.mergeCommitOf(e.commit()), repository.branch(), clone.head());
    }
  }

  private void integrate(MergeEntry e) throws IOException, GitUnavailableException {
    String wrong = refusal(e);
    if (wrong != null) {
      records.sentBack(e, wrong, true);
      return;
    }
    clone.ensure();
    for (int moves = 0; ; moves++) {
      current = new Current(e.beadId(), Activity.FETCHING);
      clone.fetch(e.branch());
      Boolean merged = clone.contains(e.commit());
      if (merged == null) {
        records.sentBack(
            e,
            "the pushed commit "
                + e.commit()
                + " is not on the remote (branch "
                + e.branch()
                + "); commit and push the work again",
            true);
        return;
      }
      if (merged) {
        records.merged(e, clone.mergeCommitOf(e.commit()), repository.branch(), clone.head());
        return;
      }
      if (RepositoryConfig.MERGE_PULL_REQUEST.equals(repository.merge())) {
        openPullRequest(e);
        return;
      }
      current = new Current(e.beadId(), Activity.MERGING);
      String mergeCommit = verify.isSet() ? null : clone.mergeWithoutTree(e.commit(), message(e));
      if (mergeCommit == null) {
        // why a tree: verify needs the merged files, and a conflict's hunks come from one
        String conflict = clone.merge(e.commit(), message(e));
        if (conflict != null) {
          records.sentBack(e, conflict, true);
          return;
        }
        if (verify.isSet()) {
          current = new Current(e.beadId(), Activity.VERIFYING);
          clone.touched();
          String failed = verify.run(clone.dir());
          if (failed != null) {
            clone.clean();
            records.sentBack(e, failed, true);
            return;
          }
        }
        mergeCommit = clone.mergedHead();
      }
      current = new Current(e.beadId(), Activity.PUSHING);
      if (clone.push(mergeCommit)) {
        afterPush.accept(e.beadId());
        records.merged(e, mergeCommit, repository.branch(), mergeCommit);
        return;
      }
      log.info(
          "remote {} moved before the push of bead={}; merging again",
          repository.branch(),
          e.beadId());
      if (moves + 1 >= settings.maxRemoteMoves()) {
        throw new GitUnavailableException(
            repository.branch()
                + " moved "
                + (moves + 1)
                + " times in a row during the merge of "
                + e.beadId());
      }
    }
  }

  private void openPullRequest(MergeEntry e) throws IOException, GitUnavailableException {
    current = new Current(e.beadId(), Activity.OPENING_PULL_REQUEST);
    String url =
        pullRequests.open(clone.dir(), e.branch(), repository.branch(), e.beadId(), title(e));
    records.prCreated(e, url);
  }

  /** Why a row cannot be merged as it is (a branch or commit no worker of ours pushes), or null. */
  private static String refusal(MergeEntry e) {
    if (e.branch() == null
        || !BRANCH.matcher(e.branch()).matches()
        || e.branch().contains("..")
        || e.branch().endsWith(".")
        || e.branch().endsWith(".lock")) {
      return "the pushed branch must be bead/<id> (a safe ref name), was " + e.branch();
    }
    if (!validCommit(e)) {
      return "the pushed commit is not a commit id: " + e.commit();
    }
    return null;
  }

  private static boolean validCommit(MergeEntry e) {
    return e.commit() != null && COMMIT.matcher(e.commit()).matches();
  }

  /** The merge commit's message: the bead's title (one line, bounded) and its trailer. */
  private String message(MergeEntry e) {
    return "Merge " + e.branch() + ": " + title(e) + "\n\nBead: " + e.beadId() + "\n";
  }

  private String title(MergeEntry e) {
    String title =
        Optional.ofNullable(store.find(e.beadId()).map(b -> b.title()).orElse(null)).orElse("");
    title = title.replaceAll("[\\r\\n\\t]+", " ").strip();
    return title.length() > PullRequests.MAX_TITLE_CHARS
        ? title.substring(0, PullRequests.MAX_TITLE_CHARS)
        : title;
  }
}
