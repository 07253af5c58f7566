package dev.beadpool.jsonl;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into lines at {@code \n} (a {@code \r} before it is dropped) and decodes
 * each line as strict UTF-8 on its own, so that a bad byte costs its line and not the file: a
 * {@code Reader} over the whole stream would stop at it with no line number.
 */
final class Utf8Lines implements Closeable {
  /** A line that is not UTF-8: where its first bad byte sits (0-based) and what it is. */
  record Malformed(int offset, int value) {
    String describe() {
      return String.format(
          "not valid UTF-8: byte 0x%02x at byte %d of the line", value, offset + 1);
    }
  }

  private final InputStream in;
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private byte[] line = new byte[1 << 10];
  private int length;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private Malformed malformed;

  Utf8Lines(InputStream in) {
    this.in = in;
  }

  /**
   * Reads the next line.
   *
   * @return its text, or null at the end of the stream; when the line is not UTF-8, an empty string
   *     and {@link #malformed()} says why
   */
  String next() throws IOException {
    length = 0;
    malformed = null;
    boolean any = false;
    while (true) {
      if (position == limit) {
        limit = in.read(buffer);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return any ? decode() : null;
        }
      }
      any = true;
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      append(start, position);
      if (position < limit) {
        position++; // the '\n'
        if (length > 0 && line[length - 1] == '\r') {
          length--;
        }
        return decode();
      }
    }
  }

  /** Why the last line returned by {@link #next} is not text, or null when it is. */
  Malformed malformed() {
    return malformed;
  }

  private void append(int from, int to) {
    int n = to - from;
    if (length + n > line.length) {
      line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
    }
    System.arraycopy(buffer, from, line, length, n);
    length += n;
  }

  private String decode() {
    ByteBuffer bytes = ByteBuffer.wrap(line, 0, length);
    CharBuffer chars = CharBuffer.allocate(length);
    decoder.reset();
    CoderResult result = decoder.decode(bytes, chars, true);
    if (result.isError()) {
      malformed = new Malformed(bytes.position(), line[bytes.position()] & 0xff);
      return "";
    }
    decoder.flush(chars);
    return chars.flip().toString();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
