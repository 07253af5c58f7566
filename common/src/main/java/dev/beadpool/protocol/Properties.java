package dev.beadpool.protocol;

/**
 * Message properties set on every beadpool message so that the Artemis console shows what a message
 * is about without opening its body.
 */
public final class Properties {
  /** The message type: {@code dispatch}, {@code claim}, {@code claim-reply}, ... */
  public static final String TYPE = "bpType";

  /** The wire schema version of the JSON body. */
  public static final String SCHEMA = "bpSchema";

  public static final String BEAD_ID = "beadId";
  public static final String BEAD_TITLE = "beadTitle";

  /** The attempt within the bead's current budget, 1-based. */
  public static final String ATTEMPT = "attempt";

  /** The run number: unique over all beads and attempts. */
  public static final String RUN = "run";

  public static final String WORKER = "worker";

  /** The agent profile a run is routed to. */
  public static final String PROFILE = "profile";

  /** The turn within the attempt (a handoff starts the next). */
  public static final String TURN = "turn";

  /** On a dead-lettered message: why it could not be processed. */
  public static final String DEAD_LETTER_REASON = "bpDeadLetterReason";

  /** Artemis' duplicate-detection header. */
  public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

  /** The longest {@link #BEAD_TITLE}: properties travel in the header, which the broker bounds. */
  public static final int TITLE_MAX_CHARS = 200;

  /** A title as the {@link #BEAD_TITLE} property shows it: cut at {@link #TITLE_MAX_CHARS}. */
  public static String shortTitle(String title) {
    if (title == null || title.length() <= TITLE_MAX_CHARS) {
      return title;
    }
    int end = TITLE_MAX_CHARS - 1;
    if (Character.isHighSurrogate(title.charAt(end - 1))) {
      end--;
    }
    return title.substring(0, end) + "\u2026";
  }

  private Properties() {}
}
