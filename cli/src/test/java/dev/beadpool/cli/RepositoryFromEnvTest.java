package dev.beadpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beadpool.config.AgentConfig;
import dev.beadpool.config.RepositoryConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BEADPOOL_REPOSITORY_URL and _BRANCH: Compose's remote, or a team's URL, over beadpool.yaml. */
class RepositoryFromEnvTest {
  static final AgentConfig FILE =
      AgentConfig.NONE.withRepository(
          new RepositoryConfig("/srv/app.git", "develop", "manual", List.of("make"), null));

  @Test
  void unsetVariablesLeaveTheFileAsItIs() {
    assertThat(ProjectFiles.withRepositoryFromEnv(FILE, null, "")).isSameAs(FILE);
    assertThat(ProjectFiles.withRepositoryFromEnv(AgentConfig.NONE, " ", "main").repository())
        .as("a branch alone does not turn the code flow on")
        .isNull();
  }

  @Test
  void theUrlOverridesTheFilesAndKeepsItsOtherKeys() {
    RepositoryConfig repo =
        ProjectFiles.withRepositoryFromEnv(FILE, "/srv/git/project.git", null).repository();

    assertThat(repo.url()).isEqualTo("/srv/git/project.git");
    assertThat(repo.branch()).isEqualTo("develop");
    assertThat(repo.merge()).isEqualTo("manual");
    assertThat(repo.verify()).containsExactly("make");
  }

  @Test
  void aUrlWithoutARepositoryKeyTurnsTheCodeFlowOnWithItsDefaults() {
    RepositoryConfig repo =
        ProjectFiles.withRepositoryFromEnv(AgentConfig.NONE, "/srv/git/project.git", "trunk")
            .repository();

    assertThat(repo.branch()).isEqualTo("trunk");
    assertThat(repo.merge()).isEqualTo(RepositoryConfig.MERGE_AUTO);
  }

  @Test
  void aBadValueNamesTheVariable() {
    assertThatThrownBy(() -> ProjectFiles.withRepositoryFromEnv(FILE, "--upload-pack=x", null))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("BEADPOOL_REPOSITORY_URL");
  }
}
