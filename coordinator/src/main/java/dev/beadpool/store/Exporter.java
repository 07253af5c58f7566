package dev.beadpool.store;

import dev.beadpool.bead.Bead;
import dev.beadpool.jsonl.JsonlWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;

/** Writes every bead as bd-compatible JSONL, sorted by id, with bd's export-only counts. */
final class Exporter {
  private final Transactions transactions;

  Exporter(Transactions transactions) {
    this.transactions = transactions;
  }

  /** Writes the beads to {@code out} and returns how many. */
  long exportTo(Writer out) throws IOException {
    Map<String, Integer> dependents = transactions.read(BeadQueries::dependentCounts);
    try {
      return transactions.read(
          c -> {
            long n = 0;
            try (PreparedStatement st = c.prepareStatement("SELECT data FROM beads ORDER BY id");
                ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                Bead bead = BeadRows.parse(rs.getString(1));
                JsonlWriter.writeLine(out, bead, dependents.getOrDefault(bead.id(), 0));
                n++;
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            return n;
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
