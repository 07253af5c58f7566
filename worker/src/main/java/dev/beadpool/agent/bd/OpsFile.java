package dev.beadpool.agent.bd;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.beadpool.bead.Json;
import dev.beadpool.protocol.BdOperation;
import dev.beadpool.protocol.Wire;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ops.jsonl}: the operations an agent recorded with the worker's {@code bd}, one JSON object
 * per line, in the order they were made.
 *
 * <p>Agents may run several {@code bd} commands at once, so a change is read-check-append under an
 * exclusive file lock: the checks (ids, cycles, the next child number) see every earlier operation,
 * and the new lines go out in one write. A line without its newline is what an agent killed in the
 * middle of a write leaves: readers skip it and the next writer cuts it off before appending.
 */
final class OpsFile {
  // why: file locks belong to the process; two threads of one JVM would collide on them
  private static final Object IN_PROCESS = new Object();

  private static final ObjectReader READER =
      Json.MAPPER
          .readerFor(BdOperation.class)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path file;

  OpsFile(Path file) {
    this.file = file;
  }

  /** A change made while the file is locked: sees the operations so far, returns new ones. */
  @FunctionalInterface
  interface Change<T> {
    T apply(List<BdOperation> recorded, List<BdOperation> toAppend) throws BdException;
  }

  /** Every complete operation, under a shared lock; none if the file does not exist. */
  List<BdOperation> read() throws IOException {
    synchronized (IN_PROCESS) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
          var lock = channel.lock(0, Long.MAX_VALUE, true)) {
        return parse(readAll(channel), file);
      } catch (NoSuchFileException e) {
        return List.of();
      }
    }
  }

  /**
   * Runs {@code change} on the operations recorded so far and appends the ones it adds, all under
   * an exclusive lock. Nothing is written if it throws.
   */
  <T> T update(Change<T> change) throws IOException, BdException {
    synchronized (IN_PROCESS) {
      try (FileChannel channel =
              FileChannel.open(
                  file,
                  StandardOpenOption.READ,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.CREATE);
          var lock = channel.lock()) {
        byte[] bytes = readAll(channel);
        int complete = completeLength(bytes);
        if (complete < bytes.length) {
          channel.truncate(complete);
        }
        List<BdOperation> toAppend = new ArrayList<>();
        T result = change.apply(parse(bytes, file), toAppend);
        if (!toAppend.isEmpty()) {
          StringBuilder lines = new StringBuilder();
          toAppend.forEach(op -> lines.append(line(op)));
          ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
          long position = complete;
          while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
          }
        }
        return result;
      }
    }
  }

  /** One operation as a line of the file: compact JSON, null fields left out, newline. */
  static String line(BdOperation op) {
    return Wire.encode(op) + "\n";
  }

  /**
   * The operations in the file's bytes. A last line without its newline is skipped (a torn write);
   * any other line that is not an operation is an error naming the line.
   */
  static List<BdOperation> parse(byte[] bytes, Path file) throws IOException {
    List<BdOperation> ops = new ArrayList<>();
    int complete = completeLength(bytes);
    int start = 0;
    int lineNumber = 0;
    while (start < complete) {
      int end = start;
      while (bytes[end] != '\n') {
        end++;
      }
      lineNumber++;
      if (!isBlank(bytes, start, end)) {
        ops.add(decode(bytes, start, end, file, lineNumber));
      }
      start = end + 1;
    }
    return ops;
  }

  private static BdOperation decode(byte[] bytes, int start, int end, Path file, int lineNumber)
      throws IOException {
    BdOperation op;
    try {
      op = READER.readValue(bytes, start, end - start);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException(
          file + ":" + lineNumber + ": not a bd operation: " + firstLine(e.getMessage()));
    }
    if (op == null || !BdOperation.KINDS.contains(op.op())) {
      throw new IOException(
          file + ":" + lineNumber + ": unknown operation " + (op == null ? null : op.op()));
    }
    return op;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private static boolean isBlank(byte[] bytes, int start, int end) {
    for (int i = start; i < end; i++) {
      if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r') {
        return false;
      }
    }
    return true;
  }

  /** The length up to and including the last newline. */
  private static int completeLength(byte[] bytes) {
    int n = bytes.length;
    while (n > 0 && bytes[n - 1] != '\n') {
      n--;
    }
    return n;
  }

  private static byte[] readAll(FileChannel channel) throws IOException {
    long size = channel.size();
    if (size > Integer.MAX_VALUE - 8) {
      throw new IOException("operations file too large: " + size + " bytes");
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) size);
    long position = 0;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, position);
      if (read < 0) {
        break;
      }
      position += read;
    }
    return buffer.array().length == buffer.position()
        ? buffer.array()
        : java.util.Arrays.copyOf(buffer.array(), buffer.position());
  }
}
