package dev.beadpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({
    "500ms,PT0.5S",
    "30s,PT30S",
    "5m,PT5M",
    "2h,PT2H",
    "PT1H30M,PT1H30M",
    " 45S ,PT45S",
    "0,PT0S",
    "0s,PT0S"
  })
  void parsesWhatUsersWrite(String written, String iso) {
    assertThat(Durations.parse(written)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @CsvSource({"PT0.5S,500ms", "PT30S,30s", "PT45M,45m", "PT1H30M,1h30m", "PT2H0M5S,2h5s"})
  void formatsAsUsersWrite(String iso, String written) {
    assertThat(Durations.format(Duration.parse(iso))).isEqualTo(written);
  }

  @Test
  void formatThenParseGivesTheSameWholeSeconds() {
    for (long s : new long[] {1, 59, 60, 61, 3599, 3600, 3661, 86_400}) {
      String written = Durations.format(Duration.ofSeconds(s));
      String[] parts = written.split("(?<=[hms])");
      Duration back = Duration.ZERO;
      for (String part : parts) {
        back = back.plus(Durations.parse(part));
      }
      assertThat(back).as(written).isEqualTo(Duration.ofSeconds(s));
    }
  }

  @Test
  void aWrongValueIsNamedWithTheFormsAccepted() {
    assertThatThrownBy(() -> Durations.parse("soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'soon' is not a duration (use 500ms, 30s, 5m or 2h)");
    assertThatThrownBy(() -> Durations.parse(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Durations.parse("-5s"))
        .hasMessage("'-5s' is negative: a duration is 0 or more (500ms, 30s, 5m or 2h)");
    assertThatThrownBy(() -> Durations.parse("PT-5S")).hasMessageContaining("is negative");
  }
}
