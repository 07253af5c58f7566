package dev.beadpool.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BeadIdsTest {
  static final Instant T = Instant.parse("2026-11-21T12:00:00.123456789Z");

  @Test
  void hashIdIsBase36OfTheRequestedLengthAndDeterministic() {
    String id = BeadIds.hashId("bd", "Fix login", "desc", "alice", T, 4, 0);
    assertThat(id).matches("bd-[0-9a-z]{4}");
    assertThat(BeadIds.hashId("bd-", "Fix login", "desc", "alice", T, 4, 0)).isEqualTo(id);
    assertThat(BeadIds.hashId("bd", "Fix login", "desc", "alice", T, 4, 1)).isNotEqualTo(id);
    for (int length = 3; length <= 8; length++) {
      assertThat(BeadIds.hashId("p", "t", "", "a", T, length, 0))
          .matches("p-[0-9a-z]{" + length + "}");
    }
  }

  @Test
  void wellFormedIdsHaveAPrefixAHashAndAtMostThreeChildLevels() {
    assertThat(BeadIds.isWellFormed("bd-a3f8")).isTrue();
    assertThat(BeadIds.isWellFormed("haxe.elixir-05s5.1.2")).isTrue();
    assertThat(BeadIds.isWellFormed("hq-cv-d46qe")).isTrue();
    assertThat(BeadIds.isWellFormed("bd-a3f8.1.2.3")).isTrue();

    assertThat(BeadIds.isWellFormed("bd-a3f8.1.2.3.4")).as("four levels").isFalse();
    assertThat(BeadIds.isWellFormed("a3f8")).as("no prefix").isFalse();
    assertThat(BeadIds.isWellFormed("bd-")).as("no hash").isFalse();
    assertThat(BeadIds.isWellFormed("bd-a3 f8")).isFalse();
    assertThat(BeadIds.isWellFormed("bd-a3f8.0")).isFalse();
    assertThat(BeadIds.isWellFormed("bd-a3f8.")).isFalse();
    assertThat(BeadIds.isWellFormed("-a3f8")).isFalse();
    assertThat(BeadIds.isWellFormed("bd-" + "x".repeat(200))).isFalse();
    assertThat(BeadIds.isWellFormed(null)).isFalse();
  }

  @Test
  void lengthGrowsAtBdsBirthdayThresholds() {
    assertThat(BeadIds.adaptiveLength(0)).isEqualTo(3);
    assertThat(BeadIds.adaptiveLength(163)).isEqualTo(3);
    assertThat(BeadIds.adaptiveLength(164)).isEqualTo(4);
    assertThat(BeadIds.adaptiveLength(983)).isEqualTo(4);
    assertThat(BeadIds.adaptiveLength(984)).isEqualTo(5);
    assertThat(BeadIds.adaptiveLength(5898)).isEqualTo(5);
    assertThat(BeadIds.adaptiveLength(35389)).isEqualTo(6);
    assertThat(BeadIds.adaptiveLength(212339)).isEqualTo(7);
    assertThat(BeadIds.adaptiveLength(10_000_000)).isEqualTo(8);
  }

  @Test
  void base36PadsWithZerosAndKeepsTheLastDigits() {
    assertThat(BeadIds.base36(new byte[] {0, 0}, 3)).isEqualTo("000");
    assertThat(BeadIds.base36(new byte[] {0, 35}, 3)).isEqualTo("00z");
    assertThat(BeadIds.base36(new byte[] {(byte) 0xff, (byte) 0xff}, 3))
        .isEqualTo("1ekf".substring(1));
  }

  @Test
  void childIdsAndPrefixesFollowBdsDottedNaming() {
    assertThat(BeadIds.childId("bd-a3f8", 1)).isEqualTo("bd-a3f8.1");
    assertThat(BeadIds.parentOf("bd-a3f8.1.2")).isEqualTo("bd-a3f8.1");
    assertThat(BeadIds.parentOf("bd-a3f8")).isNull();
    assertThat(BeadIds.parentOf("v1.x-abc")).isNull();
    assertThat(BeadIds.childNumber("bd-a3f8.12")).isEqualTo(12);
    assertThat(BeadIds.depth("bd-a3f8.1.2")).isEqualTo(2);
    assertThat(BeadIds.prefixOf("bd-a3f8.1")).isEqualTo("bd");
    assertThat(BeadIds.prefixOf("hq-cv-d46qe")).isEqualTo("hq-cv");
    assertThat(BeadIds.prefixOf("offlinebrew-3d0.1")).isEqualTo("offlinebrew");
    assertThatThrownBy(() -> BeadIds.childId("bd-a.1.2.3", 1))
        .hasMessageContaining("maximum hierarchy depth");
  }

  @Test
  void directoryNamesBecomePrefixes() {
    assertThat(BeadIds.prefixFromDirectory("My Project-")).isEqualTo("my-project");
    assertThat(BeadIds.prefixFromDirectory("...")).isEqualTo("bd");
  }
}
