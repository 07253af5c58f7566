package dev.beadpool.bead;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
  @Test
  void escapeSequencesAreShownNotObeyed() {
    assertThat(TerminalText.safe("fix \u001b]0;pwned\u0007login\u001b[2J"))
        .isEqualTo("fix ^[]0;pwned^Glogin^[[2J");
    assertThat(TerminalText.safe("ok\rspoofed\u007f\u009b31m")).isEqualTo("ok^Mspoofed^?\uFFFD31m");
  }

  @Test
  void newlinesTabsAndOrdinaryTextStayAsTheyAre() {
    String text = "Fix the login\n\tsee “RFC 6749” — naïve café ✓";
    assertThat(TerminalText.safe(text)).isSameAs(text);
    assertThat(TerminalText.safe(null)).isNull();
  }
}
