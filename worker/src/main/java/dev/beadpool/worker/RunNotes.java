package dev.beadpool.worker;

import dev.beadpool.protocol.DispatchMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's own lines about one run ({@code [beadpool] ...}): appended to the run's {@code
 * output.log} around the agent's output, so {@code beadpool logs} shows them, and sent to watchers.
 */
final class RunNotes implements Consumer<String> {
  private static final Logger log = LoggerFactory.getLogger(RunNotes.class);

  private final Path output;
  private final DispatchMessage dispatch;
  private final RunOutput watchers;

  RunNotes(Path output, DispatchMessage dispatch, RunOutput watchers) {
    this.output = output;
    this.dispatch = dispatch;
    this.watchers = watchers;
  }

  @Override
  public void accept(String text) {
    String line = "[beadpool] " + text;
    try {
      Files.writeString(
          output,
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      log.warn("bead={} run={}: {} not logged: {}", dispatch.beadId(), dispatch.run(), line, e);
    }
    watchers.lines(dispatch, List.of(line));
  }
}
