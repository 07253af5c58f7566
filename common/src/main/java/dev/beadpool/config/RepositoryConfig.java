package dev.beadpool.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The code flow of {@code beadpool.yaml}: the git remote agents' work flows through, and how it is
 * integrated. Absent: no code flow (worktrees stay local, as before).
 *
 * <pre>
 * repository:
 *   url: /srv/git/app.git     # any URL the workers' git can reach (path, ssh, https)
 *   branch: main              # the integration branch
 *   merge: auto               # auto | manual | pull-request
 *   verify: [./gradlew, test] # optional: run on the merged tree before it is pushed
 *   pull-request: [gh, pr, create, --head, "{branch}", --base, "{base}", --title, "{title}"]
 * </pre>
 *
 * @param url the remote; credentials come from the environment or ssh agent of whoever runs git
 * @param verify argument list run in the merged tree (never through a shell); empty for none
 * @param pullRequest argument list for {@code merge: pull-request}; {@code {branch}}, {@code
 *     {base}}, {@code {id}} and {@code {title}} are replaced, each staying one argument
 */
public record RepositoryConfig(
    String url, String branch, String merge, List<String> verify, List<String> pullRequest) {
  public static final String MERGE_AUTO = "auto";
  public static final String MERGE_MANUAL = "manual";
  public static final String MERGE_PULL_REQUEST = "pull-request";
  public static final String DEFAULT_BRANCH = "main";

  public RepositoryConfig {
    Objects.requireNonNull(url, "url");
    if (url.isBlank() || url.startsWith("-")) {
      throw new IllegalArgumentException("url must name a git remote, was '" + url + "'");
    }
    branch = branch == null ? DEFAULT_BRANCH : branch;
    if (branch.isBlank()
        || branch.startsWith("-")
        || branch.contains("..")
        || branch.contains(" ")) {
      throw new IllegalArgumentException("branch must be a branch name, was '" + branch + "'");
    }
    merge = merge == null ? MERGE_AUTO : merge;
    if (!Set.of(MERGE_AUTO, MERGE_MANUAL, MERGE_PULL_REQUEST).contains(merge)) {
      throw new IllegalArgumentException(
          "merge must be auto, manual or pull-request, was " + merge);
    }
    verify = verify == null ? List.of() : List.copyOf(verify);
    pullRequest = pullRequest == null ? List.of() : List.copyOf(pullRequest);
    if (merge.equals(MERGE_PULL_REQUEST) && pullRequest.isEmpty()) {
      throw new IllegalArgumentException(
          "merge: pull-request needs a pull-request command (an argument list)");
    }
  }

  /**
   * Reads the {@code repository} key of {@code root}; null when it is absent.
   *
   * @param projectDir a relative {@code url} that names a directory is resolved against it
   */
  static RepositoryConfig parse(JsonNode root, Path file, Path projectDir)
      throws ProjectConfig.ConfigException {
    JsonNode node = root.path("repository");
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new ProjectConfig.ConfigException(file + ": repository: must be a mapping");
    }
    String url = node.path("url").asText(null);
    if (url == null) {
      throw new ProjectConfig.ConfigException(file + ": repository.url: is required");
    }
    if (url.startsWith("./") || url.startsWith("../")) {
      url = projectDir.resolve(url).toAbsolutePath().normalize().toString();
    }
    try {
      return new RepositoryConfig(
          url,
          node.path("branch").asText(null),
          node.path("merge").asText(null),
          strings(node.path("verify"), file, "repository.verify"),
          strings(node.path("pull-request"), file, "repository.pull-request"));
    } catch (IllegalArgumentException e) {
      throw new ProjectConfig.ConfigException(file + ": repository: " + e.getMessage());
    }
  }

  private static List<String> strings(JsonNode node, Path file, String key)
      throws ProjectConfig.ConfigException {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new ProjectConfig.ConfigException(
          file + ": " + key + ": must be a list of arguments (never a shell line)");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode n : node) {
      out.add(n.asText());
    }
    return out;
  }
}
