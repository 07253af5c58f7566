package dev.beadpool.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import dev.beadpool.protocol.Usage;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Records what runs spent, inside the caller's transaction: a heartbeat's figure while the run goes
 * on, then its result's, which replaces it; and the bead's total in its metadata ({@code usage:
 * {input_tokens, output_tokens, cost_usd}}), written with the result.
 */
final class UsageWrites {
  /** The metadata key of a bead's total spend. */
  static final String METADATA_KEY = "usage";

  private final FieldWrites fields;

  UsageWrites(FieldWrites fields) {
    this.fields = fields;
  }

  /**
   * A heartbeat's figure: the run's usage so far, if the run is still running under this lease.
   *
   * @return whether the run's figure changed
   */
  static boolean soFar(Connection c, long runNumber, String leaseId, Usage usage)
      throws SQLException {
    Run run = RunRows.find(c, runNumber);
    if (usage == null
        || usage.isEmpty()
        || run == null
        || run.state() != RunState.RUNNING
        || leaseId == null
        || !leaseId.equals(run.leaseId())
        || usage.equals(run.usage())) {
      return false;
    }
    RunRows.usage(c, runNumber, usage);
    return true;
  }

  /**
   * A result's figure replaces the heartbeats'; a result that reports nothing keeps the last
   * heartbeat's (an agent stopped on timeout spent what it last said).
   */
  static void ofResult(Connection c, Run run, Usage reported) throws SQLException {
    if (reported != null && !reported.isEmpty()) {
      RunRows.usage(c, run.run(), reported);
    }
  }

  /** The bead's total spend into its metadata, if it spent anything and the total changed. */
  void keepTotal(Connection c, String beadId) throws SQLException {
    Spend spend = SpendQueries.ofBead(c, beadId);
    if (spend.runs() == 0) {
      return;
    }
    ObjectNode total = Json.MAPPER.createObjectNode();
    total.put("input_tokens", spend.inputTokens());
    total.put("output_tokens", spend.outputTokens());
    total.put("cost_usd", spend.costUsd());
    Bead bead = BeadRows.require(c, beadId);
    JsonNode current = bead.metadata().path(METADATA_KEY);
    if (total.equals(current)) {
      return;
    }
    ObjectNode patch = Json.MAPPER.createObjectNode();
    patch.set(METADATA_KEY, total);
    try {
      fields.mergeMetadata(c, beadId, patch, "beadpool");
    } catch (RefusedException e) {
      // why not a failure: metadata that is not a JSON object is the user's; runs keep the figures
    }
  }
}
