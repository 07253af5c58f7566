package dev.beadpool.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Usage and usage limits cross the wire exactly: money as written, instants as ISO-8601. */
class WireUsageTest {
  @Test
  void aResultKeepsItsCostToTheLastDigitAndItsLimitsReset() throws Exception {
    Usage usage = new Usage(43_012L, 789L, new BigDecimal("0.08348645000000001230"), "m");
    UsageLimit limit = new UsageLimit(Instant.parse("2026-11-29T15:00:00Z"), "resets 3pm");
    RunResult sent =
        RunResult.released("x-1", 7, "lease-1", "w-1", "usage limit")
            .withUsage(usage)
            .withLimit(limit);

    String body = Wire.encode(sent);
    RunResult read = Wire.decode(body, RunResult.class);

    assertThat(body).contains("\"until\":\"2026-11-29T15:00:00Z\"");
    assertThat(read.usage()).isEqualTo(usage);
    assertThat(read.usage().costUsd().toPlainString()).isEqualTo("0.08348645000000001230");
    assertThat(read.limit()).isEqualTo(limit);
  }

  @Test
  void aHeartbeatKeepsTrailingZerosOfItsCost() throws Exception {
    Heartbeat beat =
        Heartbeat.of("x-1", 7, "lease-1", "w-1")
            .withUsage(new Usage(100L, null, new BigDecimal("0.10"), null));

    Heartbeat read = Wire.decode(Wire.encode(beat), Heartbeat.class);

    assertThat(read.usage().costUsd().toPlainString()).isEqualTo("0.10");
  }
}
