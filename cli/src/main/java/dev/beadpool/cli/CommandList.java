package dev.beadpool.cli;

import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;

/**
 * The command list of {@code beadpool --help}: each command with the first sentence of its
 * description, wrapped, instead of picocli's first description line, which stops wherever the line
 * was broken ("it takes an open, unassigned bead for the").
 */
final class CommandList {
  /** A first sentence longer than this is shortened at its first colon. */
  static final int MAX_SUMMARY = 110;

  private CommandList() {}

  static String render(Help help) {
    Map<String, Help> commands = help.subcommands();
    if (commands.isEmpty()) {
      return "";
    }
    int nameWidth = commands.keySet().stream().mapToInt(String::length).max().orElse(0) + 4;
    int width = help.commandSpec().usageMessage().width();
    TextTable table =
        TextTable.forColumns(
            help.colorScheme(),
            new Column(nameWidth, 2, Column.Overflow.SPAN),
            new Column(width - nameWidth, 1, Column.Overflow.WRAP));
    commands.forEach((name, sub) -> table.addRowValues(name, summary(sub)));
    return table.toString();
  }

  /** A command's header if it has one (picocli's own help command does), else its summary. */
  private static String summary(Help sub) {
    String[] header = sub.commandSpec().usageMessage().header();
    return summary(header.length > 0 ? header : sub.commandSpec().usageMessage().description());
  }

  /** The first sentence of a description given as lines. */
  static String summary(String[] lines) {
    String text =
        String.join(" ", lines)
            .replace("%n", " ")
            .replace("%%", "%")
            .replaceAll("\\s+", " ")
            .strip();
    int end = find(text, '.');
    String sentence = end < 0 ? text : text.substring(0, end + 1);
    if (sentence.length() > MAX_SUMMARY) {
      int colon = find(sentence, ':');
      if (colon > 0) {
        sentence = sentence.substring(0, colon) + ".";
      }
    }
    return sentence;
  }

  /**
   * Index of the first {@code mark} that ends a clause (followed by a space or the end, outside
   * parentheses, not in "e.g." or "i.e."), or -1.
   */
  private static int find(String text, char mark) {
    int depth = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth = Math.max(0, depth - 1);
      } else if (c == mark
          && depth == 0
          && (i + 1 == text.length() || text.charAt(i + 1) == ' ')
          && !text.regionMatches(Math.max(0, i - 3), "e.g.", 0, 4)
          && !text.regionMatches(Math.max(0, i - 3), "i.e.", 0, 4)) {
        return i;
      }
    }
    return -1;
  }
}
