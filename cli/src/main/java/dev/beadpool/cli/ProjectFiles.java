package dev.beadpool.cli;

import dev.beadpool.config.AgentConfig;
import dev.beadpool.config.ProjectConfig;
import dev.beadpool.config.RepositoryConfig;
import java.nio.file.Path;

/** The project's beadpool.yaml, read for the commands that need it; a bad file is the user's. */
final class ProjectFiles {
  private ProjectFiles() {}

  /** Names the configuration file when it is not beside the store (a container, a cluster). */
  static final String CONFIG_ENV = "BEADPOOL_CONFIG";

  /**
   * The code flow's remote when beadpool.yaml cannot know it (Compose's bare repository on a
   * volume, a team's URL per environment): overrides {@code repository.url}, and turns the code
   * flow on with its defaults when the file has no {@code repository:}.
   */
  static final String REPOSITORY_URL_ENV = "BEADPOOL_REPOSITORY_URL";

  /** Overrides {@code repository.branch} (the integration branch) when set. */
  static final String REPOSITORY_BRANCH_ENV = "BEADPOOL_REPOSITORY_BRANCH";

  /**
   * The agents of the file {@code BEADPOOL_CONFIG} names, else of {@code beadpool.yaml} in the
   * project directory. Coordinator and workers must read the same one: routing is the
   * coordinator's, commands the workers'.
   */
  static AgentConfig agents(Path projectDir) {
    return withRepositoryFromEnv(
        fromFile(projectDir),
        System.getenv(REPOSITORY_URL_ENV),
        System.getenv(REPOSITORY_BRANCH_ENV));
  }

  /**
   * {@code agents} with {@link #REPOSITORY_URL_ENV} and {@link #REPOSITORY_BRANCH_ENV} applied
   * (blank: unset).
   */
  static AgentConfig withRepositoryFromEnv(AgentConfig agents, String url, String branch) {
    RepositoryConfig file = agents.repository();
    boolean urlSet = url != null && !url.isBlank();
    boolean branchSet = branch != null && !branch.isBlank();
    if (!urlSet && (!branchSet || file == null)) {
      return agents;
    }
    try {
      return agents.withRepository(
          new RepositoryConfig(
              urlSet ? url.strip() : file.url(),
              branchSet ? branch.strip() : file == null ? null : file.branch(),
              file == null ? null : file.merge(),
              file == null ? null : file.verify(),
              file == null ? null : file.pullRequest()));
    } catch (IllegalArgumentException e) {
      throw new CliException(
          REPOSITORY_URL_ENV + " / " + REPOSITORY_BRANCH_ENV + ": " + e.getMessage());
    }
  }

  private static AgentConfig fromFile(Path projectDir) {
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
