package dev.beadpool.agent.usage;

import dev.beadpool.config.UsageFormat;
import dev.beadpool.protocol.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a run's usage from its agent's output lines as they stream, in the format its profile
 * names. Lines come from untrusted output: only lines that look like a report are parsed, a line
 * longer than {@link #MAX_LINE_CHARS} is skipped, and nothing here ever throws at the output pump.
 *
 * <p>Threads: {@link #line} is called by the run's output thread; {@link #soFar()} from any thread
 * (the heartbeat's).
 */
public abstract class OutputUsage {
  /** Characters a usage line may have (Claude's result line carries the agent's final answer). */
  public static final int MAX_LINE_CHARS = 256 * 1024;

  /** Problems kept for the run's log; more are counted, not kept. */
  static final int MAX_PROBLEMS = 5;

  private final List<String> problems = new ArrayList<>();
  private int moreProblems;

  /** The parser for a profile's {@code usage:} format. */
  public static OutputUsage of(UsageFormat format) {
    return switch (format) {
      case NONE -> new NoOutputUsage();
      case CLAUDE_JSON -> new ClaudeJsonUsage();
      case CODEX_JSON -> new CodexJsonUsage();
      case JSON_LINE -> new JsonLineUsage();
    };
  }

  /** One output line of the agent. */
  public final void line(String line) {
    if (line == null || !mayReport(line)) {
      return;
    }
    if (line.length() > MAX_LINE_CHARS) {
      problem("an output line of " + line.length() + " characters was too long to read usage from");
      return;
    }
    try {
      read(line.strip());
    } catch (Exception e) {
      // why: a line that only looked like a report (text mentioning a key) is no usage at all
      problem("output line not read for usage: " + e.getClass().getSimpleName());
    }
  }

  /** What the output reported so far. */
  public abstract Usage soFar();

  /** What was wrong with the reports read, for the run's log. */
  public final synchronized List<String> problems() {
    List<String> all = new ArrayList<>(problems);
    if (moreProblems > 0) {
      all.add("and " + moreProblems + " more output lines with usage problems");
    }
    return all;
  }

  /** A cheap test on the raw line: whether it may be a report worth parsing. */
  abstract boolean mayReport(String line);

  /** Reads a line that may be a report. */
  abstract void read(String line) throws Exception;

  final synchronized void problem(String what) {
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(what);
    } else {
      moreProblems++;
    }
  }

  final void problems(List<String> found) {
    found.forEach(this::problem);
  }

  /** The {@code none} format: nothing in the output counts. */
  static final class NoOutputUsage extends OutputUsage {
    @Override
    public Usage soFar() {
      return Usage.NONE;
    }

    @Override
    boolean mayReport(String line) {
      return false;
    }

    @Override
    void read(String line) {}
  }
}
