package dev.beadpool.jsonl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.BeadFormatException;
import dev.beadpool.bead.Json;
import dev.beadpool.bead.Statuses;
import dev.beadpool.bead.TerminalText;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads bd's {@code issues.jsonl} of any era, one line at a time: header lines ({@code _schema}),
 * records whose {@code _type} is not {@code issue}, and tombstones are skipped; a line that is not
 * UTF-8, not JSON or breaks a rule becomes {@link JsonlLine.Invalid} and reading goes on.
 */
public final class JsonlReader implements Iterator<JsonlLine>, Closeable {
  /** A record kind ({@code _type}) longer than this is cut when named in a report. */
  static final int MAX_KIND_LENGTH = 40;

  private final Path file;
  private final Utf8Lines reader;
  private long lineNumber;
  private String pending;
  private Utf8Lines.Malformed pendingMalformed;

  private JsonlReader(Path file, Utf8Lines reader) {
    this.file = file;
    this.reader = reader;
  }

  /**
   * Opens a file to read. A directory is refused here, naming it, rather than failing later with
   * the operating system's words.
   */
  public static JsonlReader open(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException(file + " is a directory, not a bd export (issues.jsonl)");
    }
    return new JsonlReader(file, new Utf8Lines(Files.newInputStream(file)));
  }

  /** Reads a whole file into memory. */
  public static List<JsonlLine> readAll(Path file) throws IOException {
    List<JsonlLine> lines = new ArrayList<>();
    try (JsonlReader reader = open(file)) {
      reader.forEachRemaining(lines::add);
    }
    return lines;
  }

  /** Parses one line; {@code file} only names the source in messages. */
  public static JsonlLine parse(Path file, long lineNumber, String line) {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return new JsonlLine.Skipped(lineNumber, JsonlLine.Skipped.BLANK);
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(trimmed);
    } catch (JsonProcessingException e) {
      return new JsonlLine.Invalid(lineNumber, file, null, "not valid JSON: " + describe(e));
    }
    if (!(node instanceof ObjectNode object)) {
      return new JsonlLine.Invalid(
          lineNumber, file, null, "must be a JSON object, one issue a line");
    }
    if (object.has("_schema")) {
      return new JsonlLine.Skipped(lineNumber, JsonlLine.Skipped.HEADER);
    }
    JsonNode type = object.get("_type");
    if (type != null && !"issue".equals(type.asText())) {
      // why by name: bd 1.x writes its memories (and may write other kinds) into the same file;
      // they are not beads, whatever keys they share with one
      String kind = type.isTextual() ? type.asText() : type.toString();
      if (kind.length() > MAX_KIND_LENGTH) {
        kind = kind.substring(0, MAX_KIND_LENGTH) + "...";
      }
      return new JsonlLine.Skipped(lineNumber, TerminalText.safe(kind) + " record");
    }
    JsonNode status = object.get("status");
    if (status != null && Statuses.TOMBSTONE.equals(status.asText())) {
      return new JsonlLine.Skipped(lineNumber, JsonlLine.Skipped.TOMBSTONE);
    }
    try {
      return new JsonlLine.Issue(lineNumber, Bead.fromJson(object));
    } catch (BeadFormatException e) {
      String id = object.path("id").isTextual() ? " (issue " + object.get("id").asText() + ")" : "";
      return new JsonlLine.Invalid(lineNumber, file, e.field(), e.rule() + id);
    }
  }

  /** Jackson's reason without its source-location noise, plus the column. */
  private static String describe(JsonProcessingException e) {
    String reason = e.getOriginalMessage();
    int noise = reason.indexOf(" (start marker at");
    if (noise >= 0) {
      reason = reason.substring(0, noise);
    }
    int newline = reason.indexOf('\n');
    if (newline >= 0) {
      reason = reason.substring(0, newline);
    }
    return e.getLocation() == null
        ? reason
        : reason + " (column " + e.getLocation().getColumnNr() + ")";
  }

  /** The number of the last line read, for progress. */
  public long lineNumber() {
    return lineNumber;
  }

  @Override
  public boolean hasNext() {
    if (pending == null) {
      try {
        pending = reader.next();
        pendingMalformed = reader.malformed();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return pending != null;
  }

  @Override
  public JsonlLine next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    String line = pending;
    pending = null;
    lineNumber++;
    if (pendingMalformed != null) {
      return new JsonlLine.Invalid(lineNumber, file, null, pendingMalformed.describe());
    }
    if (lineNumber == 1 && line.startsWith("\uFEFF")) {
      line = line.substring(1);
    }
    return parse(file, lineNumber, line);
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  /** All issues of a file, failing on the first invalid line; for tests and trusted input. */
  public static List<Bead> readBeadsStrict(Path file) throws IOException {
    List<Bead> beads = new ArrayList<>();
    for (JsonlLine line : readAll(file)) {
      if (line instanceof JsonlLine.Invalid invalid) {
        throw new IOException(invalid.message());
      }
      if (line instanceof JsonlLine.Issue issue) {
        beads.add(issue.bead());
      }
    }
    return beads;
  }
}
