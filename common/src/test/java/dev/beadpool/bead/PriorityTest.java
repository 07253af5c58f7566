package dev.beadpool.bead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PriorityTest {
  @Test
  void aPersonMayWriteTheNumberOrPNumberInAnyCase() throws BeadFormatException {
    assertThat(Priority.parse("0")).isZero();
    assertThat(Priority.parse("4")).isEqualTo(4);
    assertThat(Priority.parse("P1")).isEqualTo(1);
    assertThat(Priority.parse(" p3 ")).isEqualTo(3);
  }

  @Test
  void anythingElseIsRefusedNamingTheFieldAndTheRule() {
    for (String bad : new String[] {"high", "5", "-1", "P5", "P", "", "1.0", "01", "PP1"}) {
      assertThatThrownBy(() -> Priority.parse(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              BeadFormatException.class,
              e -> {
                assertThat(e.field()).isEqualTo("priority");
                assertThat(e.sentence())
                    .isEqualTo("priority must be 0..4 or P0..P4, was '" + bad + "'");
              });
    }
  }

  @Test
  void jsonTakesAnIntegerOrTheWrittenFormsAndRefusesTheRest() throws Exception {
    assertThat(Priority.fromJson(Json.MAPPER.readTree("3"))).isEqualTo(3);
    assertThat(Priority.fromJson(Json.MAPPER.readTree("\"P2\""))).isEqualTo(2);
    assertThatThrownBy(() -> Priority.fromJson(Json.MAPPER.readTree("9")))
        .hasMessage("priority: must be 0..4, was 9");
    for (String bad : new String[] {"1.5", "true", "{}", "[1]", "99999999999", "\"high\""}) {
      assertThatThrownBy(() -> Priority.fromJson(Json.MAPPER.readTree(bad)))
          .as(bad)
          .isInstanceOf(BeadFormatException.class)
          .hasMessageStartingWith("priority: must be ");
    }
  }

  @Test
  void aNumberAlreadyReadIsCheckedAgainstTheSameRange() throws BeadFormatException {
    assertThat(Priority.check(0)).isZero();
    assertThat(Priority.check(4)).isEqualTo(4);
    assertThatThrownBy(() -> Priority.check(7))
        .hasMessage("priority: must be 0..4 (P0..P4), was 7");
  }
}
