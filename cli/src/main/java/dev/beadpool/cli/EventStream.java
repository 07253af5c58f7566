package dev.beadpool.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.beadpool.bead.Json;
import dev.beadpool.dispatch.PoolEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The coordinator's {@code /api/events} stream, read as server-sent events: {@code event:} and
 * {@code data:} lines, a blank line ends each event, lines starting with {@code :} are comments
 * (keepalives).
 */
final class EventStream implements AutoCloseable {
  // why: a newer coordinator may add fields; an older CLI still reads the ones it knows
  private static final ObjectReader READER =
      Json.MAPPER
          .readerFor(PoolEvent.class)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** An event as read, with its JSON as the coordinator sent it (for {@code --json}). */
  record Received(PoolEvent event, String json) {}

  private final InputStream body;
  private final BufferedReader lines;
  private final String url;

  EventStream(InputStream body, String url) {
    this.body = body;
    this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    this.url = url;
  }

  /**
   * The next event, waiting for it as long as it takes.
   *
   * @throws Lost (exit 2) if the stream ends or breaks: the coordinator stopped
   */
  Received next() {
    StringBuilder data = new StringBuilder();
    try {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            String json = data.toString();
            return new Received(READER.readValue(json), json);
          }
        } else if (line.startsWith("data:")) {
          if (data.length() > 0) {
            data.append('\n');
          }
          data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
        }
        // `event:` repeats the type in the data; comments and other fields are skipped
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new CliException(
          "the coordinator at " + url + " sent an unreadable event: " + e.getOriginalMessage(),
          ExitCodes.USAGE);
    } catch (IOException e) {
      throw lost(e.getMessage());
    }
    throw lost("the stream ended");
  }

  private Lost lost(String why) {
    return new Lost(
        "lost the event stream of the coordinator at " + url + " (" + why + ")",
        "; did it stop? Run the command again to go on");
  }

  /** The stream ended or broke: the coordinator (or its API) went away. */
  static final class Lost extends CliException {
    private static final long serialVersionUID = 1L;
    private final String what;

    /**
     * @param what what happened
     * @param advice what to do about it, appended to the message
     */
    Lost(String what, String advice) {
      super(what + advice, ExitCodes.USAGE);
      this.what = what;
    }

    /** What happened, without the advice. */
    String what() {
      return what;
    }
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      // the connection is going away either way
    }
  }
}
