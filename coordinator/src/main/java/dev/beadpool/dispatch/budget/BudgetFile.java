package dev.beadpool.dispatch.budget;

import dev.beadpool.config.BudgetConfig;
import dev.beadpool.config.ProjectConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the budgets again when {@code beadpool.yaml} changes, so raising a budget releases what it
 * held without a restart. Checked on the coordinator's periodic tick, under its lock: a change is
 * logged once and put in force; a file that cannot be used keeps the budgets in force, saying why
 * once per change of the file.
 */
public final class BudgetFile {
  private static final Logger log = LoggerFactory.getLogger(BudgetFile.class);

  private final Path file;
  private final BudgetGate gate;
  private Object seen;

  /**
   * @param file the configuration file the coordinator read; null: nothing to watch
   */
  public BudgetFile(Path file, BudgetGate gate) {
    this.file = file;
    this.gate = gate;
    this.seen = stamp();
  }

  /**
   * Reads the budgets again if the file changed since last seen.
   *
   * @return whether the budgets in force changed
   */
  public boolean check() {
    if (file == null) {
      return false;
    }
    Object now = stamp();
    if (Objects.equals(now, seen)) {
      return false;
    }
    seen = now;
    BudgetConfig read;
    try {
      read = BudgetConfig.loadFile(file);
    } catch (ProjectConfig.ConfigException e) {
      log.warn("budgets not changed: {} (the budgets in force stay)", e.getMessage());
      return false;
    }
    if (read.equals(gate.budgets())) {
      return false;
    }
    log.info("budgets changed in {}: {}, was {}", file, describe(read), describe(gate.budgets()));
    gate.budgets(read);
    return true;
  }

  /** The file's modification time and size, or null if it is not there. */
  private Object stamp() {
    if (file == null) {
      return null;
    }
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.lastModifiedTime() + "/" + a.size();
    } catch (IOException e) {
      return null;
    }
  }

  /** The budgets in one line, for the log: {@code epic $50.00, day $200.00 / 1000000 tokens}. */
  public static String describe(BudgetConfig b) {
    if (b.isEmpty()) {
      return "none";
    }
    StringBuilder s = new StringBuilder();
    append(s, "bead", b.bead());
    append(s, "epic", b.epic());
    b.profiles().forEach((name, limit) -> append(s, "profile " + name, limit));
    append(s, "day", b.day());
    return s.toString();
  }

  private static void append(StringBuilder s, String scope, BudgetConfig.Limit limit) {
    if (limit == null) {
      return;
    }
    if (s.length() > 0) {
      s.append(", ");
    }
    s.append(scope).append(' ');
    if (limit.usd() != null) {
      s.append(BudgetConfig.dollars(limit.usd()));
    }
    if (limit.tokens() != null) {
      s.append(limit.usd() != null ? " / " : "").append(limit.tokens()).append(" tokens");
    }
  }
}
