package dev.beadpool.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beadpool.bead.Json;
import dev.beadpool.store.CostReport;
import dev.beadpool.store.RunLedger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/costs?by=bead|epic|profile|day}: the pool's spend grouped one way ({@link
 * CostReport}), for {@code beadpool costs} against a coordinator ({@code --server}).
 */
final class CostsEndpoint {
  /** The longest query string read; the only parameter is a short word. */
  static final int MAX_QUERY = 200;

  private CostsEndpoint() {}

  static JsonNode answer(RunLedger ledger, String query) {
    CostReport.By by = CostReport.By.BEAD;
    if (query != null && !query.isEmpty()) {
      if (query.length() > MAX_QUERY) {
        throw new ApiError(400, "query too long");
      }
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value =
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        if (!"by".equals(name)) {
          throw new ApiError(400, "unknown parameter '" + name + "' (costs takes by)");
        }
        try {
          by = CostReport.By.parse(value);
        } catch (IllegalArgumentException e) {
          throw new ApiError(400, e.getMessage());
        }
      }
    }
    return Json.MAPPER.valueToTree(ledger.costs(by));
  }
}
