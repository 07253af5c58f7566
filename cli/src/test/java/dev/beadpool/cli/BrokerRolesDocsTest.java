package dev.beadpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beadpool.broker.SecuritySettingsXml;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** docs/cluster.md shows exactly the broker.xml lines that BrokerRoles renders. */
class BrokerRolesDocsTest {
  @Test
  void theClusterDocsShowTheSecuritySettingsBrokerRolesRenders() throws Exception {
    String docs = Files.readString(ComposeFileTest.ROOT.resolve("docs/cluster.md"));

    assertThat(docs)
        .contains("```xml\n" + SecuritySettingsXml.uuidNamespace() + "```\n")
        .contains("```xml\n" + SecuritySettingsXml.securitySettings() + "```\n");
  }
}
