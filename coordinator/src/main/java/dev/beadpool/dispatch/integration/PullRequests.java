package dev.beadpool.dispatch.integration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code merge: pull-request}: runs the team's command ({@code gh pr create ...}) for a pushed
 * bead, with {@code {branch}}, {@code {base}}, {@code {id}} and {@code {title}} replaced inside its
 * arguments (each stays one argument: the bead's title never becomes a second one), and reads the
 * pull request's URL from what it prints.
 */
final class PullRequests {
  /** The longest title put into a command. */
  static final int MAX_TITLE_CHARS = 200;

  private static final Pattern URL = Pattern.compile("https?://[^\\s\"'<>]+");

  private final List<String> command;
  private final IntegrationSettings settings;

  PullRequests(List<String> command, IntegrationSettings settings) {
    this.command = List.copyOf(command);
    this.settings = settings;
  }

  /** The command for one bead, its placeholders replaced. */
  List<String> commandFor(String branch, String base, String id, String title) {
    String oneLine = title == null ? "" : title.replaceAll("[\\r\\n\\t]+", " ").strip();
    if (oneLine.length() > MAX_TITLE_CHARS) {
      oneLine = oneLine.substring(0, MAX_TITLE_CHARS);
    }
    List<String> out = new ArrayList<>();
    for (String arg : command) {
      out.add(
          arg.replace("{branch}", branch)
              .replace("{base}", base)
              .replace("{id}", id)
              .replace("{title}", oneLine));
    }
    return out;
  }

  /**
   * Opens the pull request.
   *
   * @return the URL it printed (the last one), or null if it printed none
   * @throws GitUnavailableException if the command failed (it is tried again later)
   */
  String open(Path dir, String branch, String base, String id, String title)
      throws IOException, GitUnavailableException {
    CommandRun r =
        CommandRun.run(
            dir,
            commandFor(branch, base, id, title),
            Map.of(),
            settings.pullRequestTimeout(),
            settings.maxOutputBytes());
    if (!r.ok()) {
      throw new GitUnavailableException(
          "pull-request command for "
              + id
              + " failed (exit "
              + r.exitCode()
              + "): "
              + r.output().strip());
    }
    String url = null;
    Matcher m = URL.matcher(r.output());
    while (m.find()) {
      url = m.group();
    }
    return url;
  }
}
