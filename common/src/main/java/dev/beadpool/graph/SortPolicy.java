package dev.beadpool.graph;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;

/** The orders {@code bd ready} knows. */
public enum SortPolicy {
  /** Priority ascending, then newest first, then id. bd's default. */
  PRIORITY,
  /** Oldest first, then id. */
  OLDEST,
  /** Beads created in the last 48 hours first, by priority; the rest oldest first. */
  HYBRID;

  /** How recent a bead must be to count as new for {@link #HYBRID}. */
  public static final Duration HYBRID_RECENT_WINDOW = Duration.ofHours(48);

  private static final Comparator<BeadState> BY_PRIORITY =
      Comparator.comparingInt(BeadState::priority)
          .thenComparing(BeadState::createdAt, Comparator.reverseOrder())
          .thenComparing(BeadState::id);

  /** bd's hybrid order within the recent window: priority, then oldest first, then id. */
  private static final Comparator<BeadState> RECENT =
      Comparator.comparingInt(BeadState::priority)
          .thenComparing(BeadState::createdAt)
          .thenComparing(BeadState::id);

  private static final Comparator<BeadState> BY_AGE =
      Comparator.comparing(BeadState::createdAt).thenComparing(BeadState::id);

  public Comparator<BeadState> comparator(Instant now) {
    return switch (this) {
      case PRIORITY -> BY_PRIORITY;
      case OLDEST -> BY_AGE;
      case HYBRID -> {
        Instant cutoff = now.minus(HYBRID_RECENT_WINDOW);
        Comparator<BeadState> recentFirst =
            Comparator.comparing((BeadState b) -> b.createdAt().isBefore(cutoff));
        yield recentFirst.thenComparing(
            (a, b) -> a.createdAt().isBefore(cutoff) ? BY_AGE.compare(a, b) : RECENT.compare(a, b));
      }
    };
  }

  public static SortPolicy parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown sort policy '" + text + "' (use priority, oldest or hybrid)", e);
    }
  }
}
