package dev.beadpool.dispatch.budget;

import dev.beadpool.bead.Dependency;
import dev.beadpool.bead.DependencyType;
import dev.beadpool.config.AgentConfig;
import dev.beadpool.config.BudgetConfig;
import dev.beadpool.dispatch.PoolEvent;
import dev.beadpool.dispatch.outbox.Outbox;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.RunLedger;
import dev.beadpool.store.Spend;
import dev.beadpool.store.SpendTotals;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, before dispatch, whether a bead's budgets let it start: its own cap ({@code
 * budgets.bead}), each ancestor's ({@code budgets.epic}), its profile's and the day's. A bead over
 * any of them is held back with the reason ({@code epic app-x1 spent $51.20 of $50.00}); raising
 * the budget ({@link #budgets(BudgetConfig)}) releases it on the next pump.
 *
 * <p>The spend is read from the store when it changed (a result or heartbeat with usage), not on
 * every pump; what is over budget is worked out once per change, so a pump with nothing over budget
 * costs a lookup per bead. Guarded by the coordinator's lock.
 */
public final class BudgetGate {
  private static final Logger log = LoggerFactory.getLogger(BudgetGate.class);

  /** Parent-child chains are followed at most this deep (a guard against a cycle in bad data). */
  static final int MAX_DEPTH = 64;

  private final BeadStore store;
  private final RunLedger ledger;
  private final AgentConfig agents;
  private final Clock clock;

  private BudgetConfig budgets;
  private SpendTotals totals = SpendTotals.EMPTY;
  private boolean stale = true;

  /** What is over budget now, by scope ({@code epic app-x1}), with the reason; null: not known. */
  private Map<String, String> over;

  private LocalDate overOn;

  /** Scopes whose hold has been logged, so each hold is said once. */
  private final Set<String> logged = new HashSet<>();

  /** Beads whose watchers have been told they are held, so each is told once per hold. */
  private final Set<String> told = new HashSet<>();

  private final Outbox outbox;

  public BudgetGate(
      BeadStore store,
      RunLedger ledger,
      AgentConfig agents,
      BudgetConfig budgets,
      Clock clock,
      Outbox outbox) {
    this.store = store;
    this.ledger = ledger;
    this.agents = agents;
    this.budgets = budgets == null ? BudgetConfig.NONE : budgets;
    this.clock = clock;
    this.outbox = outbox;
  }

  /** Whether any budget is set: without one, nothing is ever held. */
  public boolean active() {
    return !budgets.isEmpty();
  }

  public BudgetConfig budgets() {
    return budgets;
  }

  /** The budgets in force from now: what they no longer hold is dispatched on the next pump. */
  public void budgets(BudgetConfig changed) {
    budgets = changed == null ? BudgetConfig.NONE : changed;
    over = null;
    logged.clear();
    told.clear();
  }

  /** The bead cap results are judged against ({@code budgets.bead}), or null. */
  public BudgetConfig.Limit beadCap() {
    return budgets.bead();
  }

  /** Runs' usage changed: the spend is read again before the next decision. */
  public void spendChanged() {
    stale = true;
  }

  /**
   * Why the bead must not start now, saying it in the log once per budget and to the bead's
   * watchers once per hold; null if it may.
   *
   * @param profile the profile its next run goes to; null: routed here if a profile has a budget
   */
  public String hold(String beadId, String profile) {
    String why = reason(beadId, profile);
    if (why == null) {
      told.remove(beadId);
      return null;
    }
    String scope = why.substring(0, why.indexOf(" spent "));
    if (logged.add(scope)) {
      log.warn("held: {} (beads under it wait until the budget is raised)", why);
    }
    if (told.add(beadId)) {
      outbox.happened(PoolEvent.held(beadId, why, clock.instant()));
    }
    return why;
  }

  /** As {@link #hold}, without the log line: for status and snapshots. */
  public String reason(String beadId, String profile) {
    if (!active()) {
      return null;
    }
    Map<String, String> now = overBudget();
    if (now.isEmpty()) {
      return null;
    }
    String day = now.get(DAY);
    if (day != null) {
      return day;
    }
    String own = now.get(beadScope(beadId));
    if (own != null) {
      return own;
    }
    if (!budgets.profiles().isEmpty()) {
      String routed = profile != null ? profile : route(beadId);
      String p = routed == null ? null : now.get(profileScope(routed));
      if (p != null) {
        return p;
      }
    }
    if (budgets.epic() != null) {
      for (String ancestor : ancestors(beadId)) {
        String e = now.get(epicScope(ancestor));
        if (e != null) {
          return e;
        }
      }
    }
    return null;
  }

  private static final String DAY = "the pool";

  private static String beadScope(String id) {
    return "bead " + id;
  }

  private static String epicScope(String id) {
    return "epic " + id;
  }

  private static String profileScope(String name) {
    return "profile " + name;
  }

  /** Every scope over its budget now, with the reason. */
  private Map<String, String> overBudget() {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (stale) {
      totals = ledger.spendTotals();
      stale = false;
      over = null;
    }
    if (over != null && today.equals(overOn)) {
      return over;
    }
    Map<String, String> found = new LinkedHashMap<>();
    BudgetConfig.Limit dayCap = budgets.day();
    if (dayCap != null) {
      Spend s = totals.day(today);
      if (dayCap.reachedBy(s.costUsd(), s.tokens())) {
        found.put(
            DAY,
            DAY
                + " spent "
                + dayCap.describe(s.costUsd(), s.tokens())
                + " today ("
                + today
                + " UTC)");
      }
    }
    BudgetConfig.Limit beadCap = budgets.bead();
    if (beadCap != null) {
      totals
          .beads()
          .forEach(
              (id, s) -> {
                if (beadCap.reachedBy(s.costUsd(), s.tokens())) {
                  found.put(
                      beadScope(id),
                      beadScope(id)
                          + " spent "
                          + beadCap.spent(s.costUsd(), s.tokens())
                          + " of its "
                          + beadCap.cap(s.costUsd(), s.tokens())
                          + " cap");
                }
              });
    }
    budgets
        .profiles()
        .forEach(
            (name, cap) -> {
              Spend s = totals.profile(name);
              if (cap.reachedBy(s.costUsd(), s.tokens())) {
                found.put(
                    profileScope(name),
                    profileScope(name) + " spent " + cap.describe(s.costUsd(), s.tokens()));
              }
            });
    BudgetConfig.Limit epicCap = budgets.epic();
    if (epicCap != null) {
      totals
          .epics()
          .forEach(
              (id, s) -> {
                if (epicCap.reachedBy(s.costUsd(), s.tokens())) {
                  found.put(
                      epicScope(id),
                      epicScope(id) + " spent " + epicCap.describe(s.costUsd(), s.tokens()));
                }
              });
    }
    over = found;
    overOn = today;
    return found;
  }

  /** The profile a bead's next run goes to, or null if the bead is gone. */
  private String route(String beadId) {
    return store
        .find(beadId)
        .map(bead -> agents.route(bead, ledger.failures(beadId) + 1))
        .orElse(null);
  }

  /** The bead's ancestors through parent-child, nearest first. */
  private List<String> ancestors(String beadId) {
    List<String> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    seen.add(beadId);
    Optional<String> parent = parentOf(beadId);
    while (parent.isPresent() && seen.add(parent.get()) && out.size() < MAX_DEPTH) {
      out.add(parent.get());
      parent = parentOf(parent.get());
    }
    return out;
  }

  private Optional<String> parentOf(String beadId) {
    return store
        .find(beadId)
        .flatMap(
            bead ->
                bead.dependencies().stream()
                    .filter(d -> d.kind() == DependencyType.PARENT_CHILD)
                    .map(Dependency::dependsOnId)
                    .findFirst());
  }
}
