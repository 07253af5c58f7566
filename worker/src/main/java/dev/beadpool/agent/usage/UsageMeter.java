package dev.beadpool.agent.usage;

import dev.beadpool.config.UsageFormat;
import dev.beadpool.protocol.Usage;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * What one run has spent, from the two places an agent may say it: the {@code BEADPOOL_USAGE} file
 * and its output in the profile's format. When both report, the file wins and the output is not
 * added: an agent (or the wrapper script around it) that writes the file states the run's whole
 * usage, often worked out from the very output the profile parses, so adding would count twice.
 *
 * <p>Threads: output lines arrive on the run's output thread; {@link #soFar()} is read by the
 * heartbeat thread; {@link #total} by the slot once the agent has ended.
 */
public final class UsageMeter {
  private final OutputUsage output;
  private final Path file;

  /**
   * @param file the run's {@code BEADPOOL_USAGE} file ({@link UsageFile#NAME} in its folder)
   */
  public UsageMeter(UsageFormat format, Path file) {
    this.output = OutputUsage.of(format);
    this.file = file;
  }

  /** Output lines of the agent, as they come; never throws. */
  public void lines(List<String> lines) {
    for (String line : lines) {
      output.line(line);
    }
  }

  /** The run's usage so far, for a heartbeat: quiet about problems; null if nothing reported. */
  public Usage soFar() {
    UsageFile.Reading fromFile = UsageFile.read(file);
    Usage usage = fromFile.usage().isEmpty() ? output.soFar() : fromFile.usage();
    return usage.isEmpty() ? null : usage;
  }

  /**
   * The run's usage once its agent has ended, null if nothing was reported.
   *
   * @param note told each problem with what the agent reported, for the run's log
   */
  public Usage total(Consumer<String> note) {
    UsageFile.Reading fromFile = UsageFile.read(file);
    fromFile.problems().forEach(note);
    output.problems().forEach(note);
    Usage usage = fromFile.usage().isEmpty() ? output.soFar() : fromFile.usage();
    return usage.isEmpty() ? null : usage;
  }
}
