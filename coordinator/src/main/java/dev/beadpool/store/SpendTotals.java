package dev.beadpool.store;

import java.time.LocalDate;
import java.util.Map;

/**
 * The pool's spend, summed four ways: per bead (its own runs), per epic (every bead that has
 * descendants: their spend and its own, through parent-child at any depth), per profile and per UTC
 * day (of the run's end, or its start while it runs).
 */
public record SpendTotals(
    Map<String, Spend> beads,
    Map<String, Spend> epics,
    Map<String, Spend> profiles,
    Map<String, Spend> days,
    Spend total) {

  /** Nothing spent. */
  public static final SpendTotals EMPTY =
      new SpendTotals(Map.of(), Map.of(), Map.of(), Map.of(), Spend.ZERO);

  public SpendTotals {
    beads = Map.copyOf(beads);
    epics = Map.copyOf(epics);
    profiles = Map.copyOf(profiles);
    days = Map.copyOf(days);
  }

  public Spend bead(String id) {
    return beads.getOrDefault(id, Spend.ZERO);
  }

  public Spend epic(String id) {
    return epics.getOrDefault(id, Spend.ZERO);
  }

  public Spend profile(String name) {
    return profiles.getOrDefault(name, Spend.ZERO);
  }

  public Spend day(LocalDate day) {
    return days.getOrDefault(day.toString(), Spend.ZERO);
  }
}
