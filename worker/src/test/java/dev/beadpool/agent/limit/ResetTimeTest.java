package dev.beadpool.agent.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.config.UsageLimitSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** When a usage limit resets, read from the line that showed it, against a fixed clock. */
class ResetTimeTest {
  static final Instant NOW = Instant.parse("2026-11-29T14:59:58Z");

  static UsageLimitSettings limit(String... patterns) {
    return new UsageLimitSettings(
        Set.of(75),
        List.of(patterns).stream().map(Pattern::compile).toList(),
        ZoneOffset.UTC,
        Duration.ofMinutes(30),
        Duration.ofMinutes(1));
  }

  static Optional<Instant> watch(UsageLimitSettings limit, Instant now, String line) {
    LimitWatch watch = new LimitWatch(limit, Clock.fixed(now, ZoneOffset.UTC));
    watch.lines(List.of("unrelated output", line));
    return watch.hit(0).map(hit -> hit.until());
  }

  static final String CLAUDE =
      "(?:hit your (?:\\w+ )?limit|usage limit reached).*?(?:resets|reset at)"
          + " (?<reset>\\d{1,2}(?::\\d{2})?\\s*[ap]m)(?:\\s*\\((?<tz>[A-Za-z_+/-]+)\\))?";

  @Test
  void aClockTimeIsItsNextOccurrence() {
    assertThat(watch(limit(CLAUDE), NOW, "You've hit your limit · resets 3pm"))
        .contains(Instant.parse("2026-11-29T15:00:00Z"));
    assertThat(watch(limit(CLAUDE), NOW, "You've hit your session limit · resets 2:30pm"))
        .as("2:30pm has passed today: tomorrow's")
        .contains(Instant.parse("2026-11-30T14:30:00Z"));
  }

  @Test
  void aClockTimePastMidnightIsTomorrow() {
    Instant lateEvening = Instant.parse("2026-11-29T23:40:00Z");

    assertThat(watch(limit(CLAUDE), lateEvening, "You've hit your limit · resets 1am"))
        .contains(Instant.parse("2026-11-30T01:00:00Z"));
    assertThat(watch(limit(CLAUDE), lateEvening, "Claude usage limit reached. reset at 12am"))
        .contains(Instant.parse("2026-11-30T00:00:00Z"));
  }

  @Test
  void theZoneInTheLineOrTheProfilesTimezoneIsUsed() {
    assertThat(
            watch(
                limit(CLAUDE),
                NOW,
                "Claude usage limit reached. Your limit will reset at 10pm (America/New_York)."))
        .contains(Instant.parse("2026-11-30T03:00:00Z"));
    UsageLimitSettings berlin =
        new UsageLimitSettings(
            null, List.of(Pattern.compile(CLAUDE)), ZoneId.of("Europe/Berlin"), null, null);
    assertThat(watch(berlin, NOW, "You've hit your limit · resets 5pm"))
        .contains(Instant.parse("2026-11-29T16:00:00Z"));
    assertThat(watch(berlin, NOW, "You've hit your limit · resets 5pm (Mars/Base)"))
        .as("an unknown zone in the line: the profile's")
        .contains(Instant.parse("2026-11-29T16:00:00Z"));
  }

  @Test
  void twentyFourHourClockTimesAreRead() {
    String pattern = "limit until (?<reset>\\S+)";
    assertThat(watch(limit(pattern), NOW, "limit until 15:00"))
        .contains(Instant.parse("2026-11-29T15:00:00Z"));
    assertThat(watch(limit(pattern), NOW, "limit until 15:00:01"))
        .contains(Instant.parse("2026-11-29T15:00:01Z"));
    assertThat(watch(limit(pattern), NOW, "limit until 25:00"))
        .as("not a clock time: the default pause")
        .contains(NOW.plus(Duration.ofMinutes(30)));
  }

  @Test
  void anEpochIsSecondsOrMilliseconds() {
    String pattern = "usage limit reached\\|(?<epoch>\\d+)";
    assertThat(watch(limit(pattern), NOW, "Claude AI usage limit reached|1796050800"))
        .contains(Instant.ofEpochSecond(1_796_050_800L));
    assertThat(watch(limit(pattern), NOW, "Claude AI usage limit reached|1796050800000"))
        .contains(Instant.ofEpochSecond(1_796_050_800L));
  }

  @Test
  void aDurationCountsFromWhenTheLineWasRead() {
    String codex = "hit your usage limit.*try again in (?<after>[^.]+)";
    assertThat(
            watch(
                limit(codex),
                NOW,
                "■ You've hit your usage limit. Upgrade to Pro or try again in 2 days 3 hours"
                    + " 11 minutes."))
        .contains(NOW.plus(Duration.ofDays(2).plusHours(3).plusMinutes(11)));
    String api = "(?i)\\b429\\b.*retry-after:?\\s*(?<after>\\S+)";
    assertThat(watch(limit(api), NOW, "HTTP 429 Too Many Requests; retry-after: 20"))
        .contains(NOW.plusSeconds(20));
    assertThat(watch(limit(api), NOW, "HTTP 429 Too Many Requests; retry-after: 5m"))
        .contains(NOW.plus(Duration.ofMinutes(5)));
    assertThat(watch(limit(api), NOW, "HTTP 429 Too Many Requests; retry-after: 1h30m"))
        .contains(NOW.plus(Duration.ofMinutes(90)));
    assertThat(watch(limit(api), NOW, "HTTP 429 Too Many Requests; retry-after: 2h15m10s"))
        .contains(NOW.plus(Duration.ofHours(2).plusMinutes(15).plusSeconds(10)));
    assertThat(watch(limit(api), NOW, "HTTP 429 Too Many Requests; retry-after: 3min"))
        .contains(NOW.plus(Duration.ofMinutes(3)));
    assertThat(watch(limit(api), NOW, "HTTP 429 Too Many Requests; retry-after: soon"))
        .contains(NOW.plus(Duration.ofMinutes(30)));
  }

  @Test
  void nothingSaysWhenThenTheDefaultPause() {
    assertThat(watch(limit("rate limited"), NOW, "error: rate limited"))
        .contains(NOW.plus(Duration.ofMinutes(30)));
  }

  @Test
  void anExitCodeShowsALimitWithTheDefaultPause() {
    LimitWatch watch = new LimitWatch(limit(), Clock.fixed(NOW, ZoneOffset.UTC));
    watch.lines(List.of("some output"));

    assertThat(watch.hit(1)).isEmpty();
    assertThat(watch.hit(null)).isEmpty();
    assertThat(watch.hit(75))
        .hasValueSatisfying(
            hit -> {
              assertThat(hit.until()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
              assertThat(hit.line()).isEqualTo("exit code 75");
            });
  }

  @Test
  void aResetInThePastIsNowAndOneTooFarOffIsBounded() {
    String pattern = "limit\\|(?<epoch>\\d+)";
    assertThat(watch(limit(pattern), NOW, "limit|1000")).contains(NOW);
    assertThat(watch(limit(pattern), NOW, "limit|99999999999"))
        .contains(NOW.plus(ResetTime.MAX_PAUSE));
  }

  @Test
  void theFirstMatchingLineCounts() {
    LimitWatch watch =
        new LimitWatch(limit("limit\\|(?<epoch>\\d+)"), Clock.fixed(NOW, ZoneOffset.UTC));
    watch.lines(List.of("limit|" + NOW.plusSeconds(60).getEpochSecond()));
    watch.lines(List.of("limit|" + NOW.plusSeconds(600).getEpochSecond()));

    assertThat(watch.hit(0).orElseThrow().until()).isEqualTo(NOW.plusSeconds(60));
  }
}
