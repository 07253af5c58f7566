package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code beadpool costs}: the pool's spend grouped one way, most expensive first (days in order),
 * with the pool's total. Figures are exact as the agents reported them.
 *
 * @param by how the lines are grouped
 * @param lines one per bead, epic, profile or day that spent anything
 * @param total the whole pool's spend (not the sum of the lines when grouped by epic, where a bead
 *     counts toward each of its ancestors)
 */
public record CostReport(By by, List<Line> lines, Spend total) {

  /** How the lines are grouped. */
  public enum By {
    BEAD,
    EPIC,
    PROFILE,
    DAY;

    /** {@code bead}, {@code epic}, {@code profile} or {@code day}; anything else is refused. */
    public static By parse(String text) {
      for (By by : values()) {
        if (by.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
          return by;
        }
      }
      throw new IllegalArgumentException(
          "cannot group costs by '" + text + "': use bead, epic, profile or day");
    }

    @com.fasterxml.jackson.annotation.JsonValue
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One group's spend.
   *
   * @param key the bead or epic id, the profile, or the UTC day ({@code 2026-11-29})
   * @param title the bead's title (beads and epics), else null
   */
  public record Line(String key, String title, Spend spend) {}

  public CostReport {
    lines = List.copyOf(lines);
  }

  static CostReport of(Connection c, By by, SpendTotals totals) throws SQLException {
    Map<String, Spend> groups =
        switch (by) {
          case BEAD -> totals.beads();
          case EPIC -> totals.epics();
          case PROFILE -> totals.profiles();
          case DAY -> totals.days();
        };
    List<Line> lines = new ArrayList<>();
    for (Map.Entry<String, Spend> e : groups.entrySet()) {
      String title = null;
      if (by == By.BEAD || by == By.EPIC) {
        Bead bead = BeadRows.load(c, e.getKey());
        title = bead == null ? null : bead.title();
      }
      lines.add(new Line(e.getKey(), title, e.getValue()));
    }
    Comparator<Line> order =
        by == By.DAY
            ? Comparator.comparing(Line::key)
            : Comparator.comparing((Line l) -> l.spend().costUsd())
                .reversed()
                .thenComparing(l -> -l.spend().tokens())
                .thenComparing(Line::key);
    lines.sort(order);
    return new CostReport(by, lines, totals.total());
  }
}
