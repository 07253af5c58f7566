package dev.beadpool.jsonl;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.ToIntFunction;

/**
 * Writes bd-compatible JSONL: one issue a line, in the order given (callers sort by id so git diffs
 * stay small). {@link #writeAtomically} writes a temp file beside the target and renames it, so a
 * reader never sees half a file.
 */
public final class JsonlWriter {
  private static final ObjectWriter LINE_WRITER =
      Json.MAPPER.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private JsonlWriter() {}

  /**
   * Writes the beads, each followed by a newline.
   *
   * @param dependentCount incoming {@code blocks} edges of a bead id
   * @return the number of lines written
   */
  public static long write(Writer out, Iterable<Bead> beads, ToIntFunction<String> dependentCount)
      throws IOException {
    long n = 0;
    for (Bead bead : beads) {
      writeLine(out, bead, dependentCount.applyAsInt(bead.id()));
      n++;
    }
    return n;
  }

  /** Writes one bead as an export line, followed by a newline. */
  public static void writeLine(Writer out, Bead bead, int dependentCount) throws IOException {
    out.write(LINE_WRITER.writeValueAsString(ExportShape.exportLine(bead, dependentCount)));
    out.write('\n');
  }

  /** Something that writes JSONL to a stream. */
  @FunctionalInterface
  public interface Body {
    long writeTo(Writer out) throws IOException;
  }

  /**
   * Writes to a temp file in the target's directory, forces it to disk, then renames it over the
   * target. On failure the target is untouched and the temp file removed.
   */
  public static long writeAtomically(Path target, Body body) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
    try {
      long n;
      try (OutputStream stream = Files.newOutputStream(temp);
          Writer writer =
              new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16)) {
        n = body.writeTo(writer);
        writer.flush();
      }
      // why: the rename must not become visible before the data is on disk
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        Files.move(
            temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      return n;
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
