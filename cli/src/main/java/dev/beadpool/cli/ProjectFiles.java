package dev.beadpool.cli;

import dev.beadpool.config.AgentConfig;
import dev.beadpool.config.BudgetConfig;
import dev.beadpool.config.ProjectConfig;
import java.nio.file.Path;

/** The project's beadpool.yaml, read for the commands that need it; a bad file is the user's. */
final class ProjectFiles {
  private ProjectFiles() {}

  /** Names the configuration file when it is not beside the store (a container, a cluster). */
  static final String CONFIG_ENV = "BEADPOOL_CONFIG";

  /**
   * The configuration file the pool reads: the one {@code BEADPOOL_CONFIG} names, else {@code
   * beadpool.yaml} in the project directory (which may not exist).
   */
  static Path configFile(Path projectDir) {
    String named = System.getenv(CONFIG_ENV);
    return named != null && !named.isBlank()
        ? Path.of(named)
        : projectDir.resolve(ProjectConfig.FILE_NAME);
  }

  /** The budgets of {@link #configFile}; the coordinator watches the file for changes to them. */
  static BudgetConfig budgets(Path projectDir) {
    try {
      return BudgetConfig.loadFile(configFile(projectDir));
    } catch (ProjectConfig.ConfigException e) {
      throw new CliException(e.getMessage());
    }
  }

  /**
   * The agents of the file {@code BEADPOOL_CONFIG} names, else of {@code beadpool.yaml} in the
   * project directory. Coordinator and workers must read the same one: routing is the
   * coordinator's, commands the workers'.
   */
  static AgentConfig agents(Path projectDir) {
    String named = System.getenv(CONFIG_ENV);
    try {
      if (named != null && !named.isBlank()) {
        Path file = Path.of(named);
        if (!java.nio.file.Files.isRegularFile(file)) {
          // why not an error: a pool run with --agent-command alone needs no profiles (a warning,
          // so a mistyped name shows in the log)
          org.slf4j.LoggerFactory.getLogger(ProjectFiles.class)
              .warn("{} names {}, which does not exist: no agent profiles", CONFIG_ENV, file);
        }
        return AgentConfig.loadFile(file);
      }
      return AgentConfig.load(projectDir);
    } catch (ProjectConfig.ConfigException e) {
      throw new CliException(e.getMessage());
    }
  }
}
