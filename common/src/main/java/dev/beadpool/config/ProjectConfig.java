package dev.beadpool.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The team's {@code beadpool.yaml} in the project directory, as far as the tracker is concerned:
 * the id prefix for new beads and what {@code doctor} should insist on. Absent file, absent keys:
 * defaults.
 *
 * <pre>
 * issue-prefix: myproj
 * doctor:
 *   require-labels: true
 *   stale-in-progress-hours: 24
 * </pre>
 */
public record ProjectConfig(String issuePrefix, boolean requireLabels, int staleInProgressHours) {
  public static final String FILE_NAME = "beadpool.yaml";
  public static final int DEFAULT_STALE_IN_PROGRESS_HOURS = 24;
  public static final ProjectConfig DEFAULTS =
      new ProjectConfig(null, false, DEFAULT_STALE_IN_PROGRESS_HOURS);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public ProjectConfig {
    if (staleInProgressHours < 1) {
      throw new IllegalArgumentException(
          "doctor.stale-in-progress-hours must be at least 1, was " + staleInProgressHours);
    }
  }

  /** Reads {@code beadpool.yaml} from {@code projectDir}, or the defaults if there is none. */
  public static ProjectConfig load(Path projectDir) throws ConfigException {
    Path file = projectDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return DEFAULTS;
    }
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return DEFAULTS;
    }
    String prefix = root.path("issue-prefix").asText(null);
    JsonNode doctor = root.path("doctor");
    JsonNode require = doctor.path("require-labels");
    if (!require.isMissingNode() && !require.isBoolean()) {
      throw new ConfigException(
          file + ": doctor.require-labels must be true or false, was " + require);
    }
    JsonNode hours = doctor.path("stale-in-progress-hours");
    if (!hours.isMissingNode() && !hours.canConvertToInt()) {
      throw new ConfigException(
          file + ": doctor.stale-in-progress-hours must be a whole number, was " + hours);
    }
    try {
      return new ProjectConfig(
          prefix,
          require.asBoolean(false),
          hours.isMissingNode() ? DEFAULT_STALE_IN_PROGRESS_HOURS : hours.asInt());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": " + e.getMessage());
    }
  }

  /** A configuration file that cannot be used as it is. */
  public static final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
      super(message);
    }
  }
}
