package dev.beadpool.bead;

/**
 * Bead text made safe to print on a terminal. Beads are written by agents and humans alike, so a
 * title can carry escape sequences that move the cursor, clear the screen, retitle the window or
 * worse when printed raw. Control characters other than newline and tab are shown in caret notation
 * ({@code ESC} as {@code ^[}), C1 controls as {@code U+FFFD}; everything else is kept.
 */
public final class TerminalText {
  private TerminalText() {}

  /** {@code text} with its control characters made visible; null stays null. */
  public static String safe(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder safe = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = null;
      if (c == '\n' || c == '\t') {
        // kept
      } else if (c < 0x20 || c == 0x7f) {
        replacement = c == 0x7f ? "^?" : "^" + (char) (c + 0x40);
      } else if (c >= 0x80 && c < 0xa0) {
        replacement = "\uFFFD";
      }
      if (replacement != null && safe == null) {
        safe = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (safe != null) {
        if (replacement != null) {
          safe.append(replacement);
        } else {
          safe.append(c);
        }
      }
    }
    return safe == null ? text : safe.toString();
  }
}
