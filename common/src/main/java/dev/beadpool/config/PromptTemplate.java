package dev.beadpool.config;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A profile's prompt: {@code {{name}}} placeholders filled from the bead in one pass, so text in a
 * bead that looks like a placeholder stays as it is.
 *
 * @param via how the agent gets it: {@code arg} (replaces a {@code {prompt}} element of the
 *     command), {@code stdin}, or {@code file} (replaces {@code {prompt_file}}; {@code
 *     BEADPOOL_PROMPT_FILE} names it in every mode)
 */
public record PromptTemplate(String text, String via) {
  public static final String VIA_ARG = "arg";
  public static final String VIA_STDIN = "stdin";
  public static final String VIA_FILE = "file";

  /** The command element replaced by the prompt text ({@code via: arg}). */
  public static final String PROMPT_ARG = "{prompt}";

  /** The command element replaced by the prompt file's path. */
  public static final String PROMPT_FILE_ARG = "{prompt_file}";

  /** The variables a template may use. */
  public static final Set<String> VARIABLES =
      Set.of(
          "id",
          "title",
          "description",
          "design",
          "acceptance_criteria",
          "notes",
          "handoff_notes",
          "labels",
          "parent",
          "priority",
          "type",
          "working_directory",
          "task_packet",
          "attempt",
          "turn",
          "profile",
          "feedback");

  /** The prompt of a profile that names none: enough for an agent taught to use bd. */
  public static final String DEFAULT_TEXT =
      """
      You are working on bead {{id}}: {{title}}

      {{description}}

      Acceptance criteria:
      {{acceptance_criteria}}

      Handoff notes from the previous agent (empty on a first turn):
      {{handoff_notes}}

      Why your previous attempt's work was sent back (empty on a first attempt):
      {{feedback}}

      Read the bead with `bd show {{id}}`. When done, close it with `bd close {{id}} --reason "..."`.
      If you run out of context, write handoff notes with `bd update {{id}} --append-notes "..."`
      and exit 0. If you find a blocker, `bd create` it and `bd dep add {{id}} <new-id>`.
      """;

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");

  public PromptTemplate {
    text = text == null ? DEFAULT_TEXT : text;
    via = via == null ? VIA_ARG : via;
    if (!Set.of(VIA_ARG, VIA_STDIN, VIA_FILE).contains(via)) {
      throw new IllegalArgumentException("prompt.via must be arg, stdin or file, was " + via);
    }
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      if (!VARIABLES.contains(m.group(1))) {
        throw new IllegalArgumentException(
            "prompt template: unknown variable {{"
                + m.group(1)
                + "}}; known: "
                + String.join(", ", new java.util.TreeSet<>(VARIABLES)));
      }
    }
  }

  /** Fills the placeholders; values are inserted literally and never scanned again. */
  public String render(Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.getOrDefault(m.group(1), "");
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
