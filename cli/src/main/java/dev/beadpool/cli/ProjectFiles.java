package dev.beadpool.cli;

import dev.beadpool.config.AgentConfig;
import dev.beadpool.config.ProjectConfig;
import java.nio.file.Path;

/** The project's beadpool.yaml, read for the commands that need it; a bad file is the user's. */
final class ProjectFiles {
  private ProjectFiles() {}

  static AgentConfig agents(Path projectDir) {
    try {
      return AgentConfig.load(projectDir);
    } catch (ProjectConfig.ConfigException e) {
      throw new CliException(e.getMessage());
    }
  }
}
