package dev.beadpool.bead;

/**
 * A bead's JSON breaks one of bd's rules. Carries the offending field and the rule so that the
 * reader can report {@code file:line: field: rule}.
 */
public final class BeadFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String rule;

  public BeadFormatException(String field, String rule) {
    super(field + ": " + rule);
    this.field = field;
    this.rule = rule;
  }

  public String field() {
    return field;
  }

  public String rule() {
    return rule;
  }

  /** {@code priority must be 0..4, was 7}: the field and the rule as one phrase, for a user. */
  public String sentence() {
    return field + " " + rule;
  }
}
