package dev.beadpool.agent.usage;

import dev.beadpool.protocol.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file an agent may write its usage to, named to it in {@code BEADPOOL_USAGE}: one JSON object
 * {@code {"input_tokens": N, "output_tokens": N, "cost_usd": 1.23, "model": "..."}} stating the
 * run's whole usage so far (each write replaces the last). The agent owns the file, so it is read
 * bounded, and whatever is wrong with it leaves the usage unknown and the run's outcome as it is.
 */
public final class UsageFile {
  /** The environment variable that names the file to the agent. */
  public static final String ENV = "BEADPOOL_USAGE";

  /** The file's name in the run's folder. */
  public static final String NAME = "usage.json";

  /** Bytes read at most; a larger file is garbage. */
  public static final int MAX_BYTES = 64 * 1024;

  private UsageFile() {}

  /**
   * What the file says.
   *
   * @param usage the figures read, {@link Usage#NONE} when there is no file or none could be read
   * @param present whether the agent wrote the file
   * @param problems what was wrong with it (each one a line for the run's log)
   */
  public record Reading(Usage usage, boolean present, List<String> problems) {
    public Reading {
      problems = List.copyOf(problems);
    }
  }

  /** Reads the file: absent, unreadable, too large or not JSON all give {@link Usage#NONE}. */
  public static Reading read(Path file) {
    List<String> problems = new ArrayList<>();
    // why NOFOLLOW: the agent could leave a link to a file it may not read, or to a device
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return new Reading(Usage.NONE, false, problems);
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      problems.add(ENV + " file is not a regular file; usage unknown");
      return new Reading(Usage.NONE, true, problems);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      return new Reading(Usage.NONE, false, problems);
    } catch (IOException e) {
      problems.add(ENV + " file unreadable (" + e.getMessage() + "); usage unknown");
      return new Reading(Usage.NONE, true, problems);
    }
    if (bytes.length > MAX_BYTES) {
      problems.add(ENV + " file is larger than " + MAX_BYTES + " bytes; usage unknown");
      return new Reading(Usage.NONE, true, problems);
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      problems.add(ENV + " file is not UTF-8; usage unknown");
      return new Reading(Usage.NONE, true, problems);
    }
    Usage usage;
    try {
      List<String> dropped = new ArrayList<>();
      usage = UsageJson.fromReport(UsageJson.parse(text), dropped);
      dropped.forEach(
          d ->
              problems.add(
                  ENV + " file: " + d + (d.startsWith("not") ? "; usage unknown" : ", dropped")));
    } catch (IOException e) {
      problems.add(ENV + " file is not JSON; usage unknown");
      return new Reading(Usage.NONE, true, problems);
    }
    return new Reading(usage, true, problems);
  }
}
