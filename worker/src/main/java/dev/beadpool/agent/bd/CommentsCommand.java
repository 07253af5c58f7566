package dev.beadpool.agent.bd;

import static dev.beadpool.agent.bd.BdArgs.value;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beadpool.bead.Bead;
import dev.beadpool.bead.Json;
import dev.beadpool.protocol.BdOperation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code bd comments ID} lists a bead's comments, pending ones included; {@code bd comments add ID
 * TEXT} (or {@code -f FILE}) and its old alias {@code bd comment ID TEXT} record one. Output as
 * bd's.
 */
final class CommentsCommand implements BdCommand {
  private static final List<BdArgs.Option> ADD_OPTIONS = List.of(value("file", "-f", "--file"));
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  /** True for {@code bd comment}, which only adds. */
  private final boolean addOnly;

  CommentsCommand(boolean addOnly) {
    this.addOnly = addOnly;
  }

  @Override
  public String usage() {
    return addOnly
        ? "comment ID TEXT [-f|--file F] [--json]   (same as comments add)"
        : "comments ID [--json]\ncomments add ID TEXT [-f|--file F] [--json]";
  }

  @Override
  public int run(BdSession session, List<String> raw) throws BdException, IOException {
    if (addOnly) {
      return add(session, BdArgs.parse("comment", raw, ADD_OPTIONS));
    }
    if (!raw.isEmpty() && raw.get(0).equals("add")) {
      return add(session, BdArgs.parse("comments add", raw.subList(1, raw.size()), ADD_OPTIONS));
    }
    return list(session, BdArgs.parse("comments", raw, List.of()));
  }

  private static int list(BdSession session, BdArgs args) throws BdException, IOException {
    if (args.positionals().size() != 1) {
      throw BdException.usage("bd comments needs one issue id (or: bd comments add ID TEXT)");
    }
    Bead bead = session.view().require(args.positionals().get(0));
    List<ObjectNode> comments = bead.comments();
    if (args.json()) {
      ArrayNode array = Json.MAPPER.createArrayNode();
      comments.forEach(array::add);
      session.printJson(array);
    } else if (comments.isEmpty()) {
      session.out().println("No comments on " + bead.id());
    } else {
      session.out().print("\nComments on " + bead.id() + ":\n\n");
      for (ObjectNode c : comments) {
        session
            .out()
            .print(
                "["
                    + c.path("author").asText("")
                    + "] "
                    + c.path("text").asText("")
                    + " at "
                    + when(c.path("created_at").asText(""))
                    + "\n\n");
      }
    }
    return 0;
  }

  private static String when(String timestamp) {
    try {
      return WHEN.format(OffsetDateTime.parse(timestamp));
    } catch (DateTimeParseException e) {
      return timestamp;
    }
  }

  private static int add(BdSession session, BdArgs args) throws BdException, IOException {
    List<String> positionals = args.positionals();
    String file = args.value("file");
    int expected = file == null ? 2 : 1;
    if (positionals.size() != expected) {
      throw BdException.usage(
          "bd comments add needs an issue id and the text: bd comments add ID \"text\""
              + " (or -f FILE)");
    }
    String id = positionals.get(0);
    String text = file == null ? positionals.get(1) : read(file);
    if (text.isBlank()) {
      throw BdException.refused("comment text cannot be empty");
    }
    ObjectNode comment =
        session.change(
            view -> {
              view.require(id);
              view.record(BdOperation.comment(id, text, session.now()));
              List<ObjectNode> all = view.require(id).comments();
              return all.get(all.size() - 1);
            });
    if (args.json()) {
      session.printJson(comment);
    } else {
      session.out().println("Comment added to " + id);
    }
    return 0;
  }

  private static String read(String file) throws BdException {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw BdException.refused("reading file " + file + ": " + e.getMessage());
    }
  }
}
