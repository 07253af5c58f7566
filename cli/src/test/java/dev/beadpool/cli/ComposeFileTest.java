package dev.beadpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.beadpool.broker.BrokerRoles;
import dev.beadpool.broker.SecuritySettingsXml;
import dev.beadpool.messaging.BrokerSettings;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** docker-compose.yml and the Dockerfile agree with what the services read. */
class ComposeFileTest {
  /** What the apache/artemis image's docker-run.sh and Dockerfile read. */
  static final Set<String> ARTEMIS_IMAGE_ENV =
      Set.of("ARTEMIS_USER", "ARTEMIS_PASSWORD", "ANONYMOUS_LOGIN", "EXTRA_ARGS");

  /** Variables read with System.getenv rather than through an option's default. */
  static final Set<String> DIRECT_READS =
      Set.of(
          StoreOptions.DB_ENV,
          BrokerOptions.PASSWORD_ENV,
          BrokerOptions.TRUST_STORE_PASSWORD_ENV,
          BrokerOptions.KEY_STORE_PASSWORD_ENV,
          WorkerOptions.AGENT_ENV,
          ProjectFiles.CONFIG_ENV,
          ProjectFiles.REPOSITORY_URL_ENV,
          ProjectFiles.REPOSITORY_BRANCH_ENV,
          CoordinatorClient.TOKEN_ENV);

  /** The beadpool image's entrypoint and healthcheck, which read a few variables themselves. */
  static final Path IMAGE_SCRIPTS = Path.of("..", "docker", "beadpool");

  static final Path ROOT = Path.of("..");

  /** The broker's entrypoint, which adds beadpool's roles and users to the image's setup. */
  static final Path BROKER_SETUP = ROOT.resolve("docker/artemis");

  static JsonNode compose() throws Exception {
    return new ObjectMapper(new YAMLFactory())
        .readTree(ROOT.resolve("docker-compose.yml").toFile());
  }

  /** Every ${env:NAME} in the option defaults of a command and its mixins. */
  static Set<String> envRead(Class<?> type) {
    Set<String> names = new HashSet<>();
    Pattern env = Pattern.compile("\\$\\{env:([A-Z0-9_]+)");
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        Option option = field.getAnnotation(Option.class);
        if (option != null) {
          Matcher m = env.matcher(option.defaultValue());
          while (m.find()) {
            names.add(m.group(1));
          }
        }
        if (field.getAnnotation(Mixin.class) != null) {
          names.addAll(envRead(field.getType()));
        }
      }
    }
    return names;
  }

  static Class<?> commandClass(String name) {
    return BeadpoolCommand.commandLine().getSubcommands().get(name).getCommand().getClass();
  }

  @Test
  void everyVariableABeadpoolServiceIsGivenIsOneItReads() throws Exception {
    JsonNode services = compose().get("services");
    for (String service : List.of("coordinator", "worker")) {
      String command = services.get(service).get("command").get(0).asText();
      Set<String> read = new HashSet<>(envRead(commandClass(command)));
      read.addAll(DIRECT_READS);
      read.addAll(imageScriptReads());
      Set<String> given = new HashSet<>();
      services.get(service).get("environment").fieldNames().forEachRemaining(given::add);
      assertThat(read).as("variables `beadpool %s` reads", command).containsAll(given);
    }
  }

  /** Every $NAME and ${NAME...} of the beadpool image's scripts, bar the shell's own. */
  static Set<String> imageScriptReads() throws Exception {
    Set<String> names = new HashSet<>();
    for (String script : List.of("entrypoint.sh", "healthcheck.sh")) {
      Matcher m =
          Pattern.compile("\\$\\{?(BEADPOOL_[A-Z0-9_]+)")
              .matcher(Files.readString(IMAGE_SCRIPTS.resolve(script)));
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  static String brokerEntrypoint() throws Exception {
    return Files.readString(BROKER_SETUP.resolve("entrypoint.sh"));
  }

  /** Every $NAME and ${NAME...} the broker's entrypoint reads. */
  static Set<String> brokerEntrypointReads() throws Exception {
    Set<String> names = new HashSet<>();
    Matcher m = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]+)").matcher(brokerEntrypoint());
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  @Test
  void theBrokerIsGivenOnlyWhatTheArtemisImageAndOurEntrypointReadAndLoginIsRequired()
      throws Exception {
    JsonNode broker = compose().get("services").get("broker");
    Set<String> given = new HashSet<>();
    broker.get("environment").fieldNames().forEachRemaining(given::add);
    Set<String> read = new HashSet<>(ARTEMIS_IMAGE_ENV);
    read.addAll(brokerEntrypointReads());
    assertThat(read).containsAll(given);
    assertThat(brokerEntrypointReads()).containsAll(ARTEMIS_IMAGE_ENV);
    assertThat(broker.get("environment").get("ANONYMOUS_LOGIN").asText()).isEqualTo("false");
    for (String password :
        List.of("ARTEMIS_PASSWORD", "BEADPOOL_COORDINATOR_PASSWORD", "BEADPOOL_WORKER_PASSWORD")) {
      assertThat(broker.get("environment").get(password).asText()).as(password).contains(":?");
    }
    assertThat(broker.get("image").asText()).startsWith("apache/artemis:2.56");
  }

  @Test
  void theBrokerStartsThroughOurEntrypointWhichAppliesBeadpoolsRoles() throws Exception {
    JsonNode broker = compose().get("services").get("broker");
    assertThat(toList(broker.get("entrypoint")))
        .containsExactly("/bin/bash", "/beadpool/entrypoint.sh");
    assertThat(toList(broker.get("command"))).containsExactly("run");
    assertThat(toList(broker.get("volumes"))).contains("./docker/artemis:/beadpool:ro");
    assertThat(Files.readString(BROKER_SETUP.resolve("security-settings.xml")))
        .isEqualTo(SecuritySettingsXml.securitySettings());
    assertThat(brokerEntrypoint())
        .contains(SecuritySettingsXml.uuidNamespace().trim())
        .contains("beadpool_user coordinator " + BrokerRoles.COORDINATOR + " ")
        .contains("beadpool_user worker " + BrokerRoles.WORKER + " ");
  }

  @Test
  void theCoordinatorAndTheWorkersLogInAsTheirOwnUsersWithThePasswordsTheBrokerIsGiven()
      throws Exception {
    JsonNode services = compose().get("services");
    JsonNode broker = services.get("broker").get("environment");
    JsonNode coordinator = services.get("coordinator").get("environment");
    JsonNode worker = services.get("worker").get("environment");
    assertThat(coordinator.get("BEADPOOL_BROKER_USER").asText()).isEqualTo("coordinator");
    assertThat(worker.get("BEADPOOL_BROKER_USER").asText()).isEqualTo("worker");
    assertThat(coordinator.get("BEADPOOL_BROKER_PASSWORD").asText())
        .isEqualTo(broker.get("BEADPOOL_COORDINATOR_PASSWORD").asText());
    assertThat(worker.get("BEADPOOL_BROKER_PASSWORD").asText())
        .isEqualTo(broker.get("BEADPOOL_WORKER_PASSWORD").asText())
        .isNotEqualTo(coordinator.get("BEADPOOL_BROKER_PASSWORD").asText());
  }

  @Test
  void portsMatchTheConfigurationDefaults() throws Exception {
    JsonNode services = compose().get("services");
    int brokerPort = URI.create(BrokerSettings.DEFAULT_URL).getPort();
    List<String> ports =
        toList(services.get("broker").get("ports")).stream()
            .map(ComposeFileTest::withDefaults)
            .toList();
    assertThat(ports).contains(brokerPort + ":" + brokerPort, "8161:8161");
    for (String service : List.of("coordinator", "worker")) {
      String url = services.get(service).get("environment").get("BEADPOOL_BROKER_URL").asText();
      assertThat(URI.create(url).getPort()).as("%s's broker port", service).isEqualTo(brokerPort);
      assertThat(URI.create(url).getHost()).isEqualTo("broker");
    }
  }

  @Test
  void workersScaleAndTheImageIsBuiltFromEveryModule() throws Exception {
    JsonNode worker = compose().get("services").get("worker");
    assertThat(worker.has("container_name")).as("a fixed name would stop --scale").isFalse();
    assertThat(worker.has("ports")).as("host ports would collide when scaled").isFalse();
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
    while (module.find()) {
      assertThat(dockerfile)
          .as("the Dockerfile copies module %s", module.group(1))
          .contains("COPY " + module.group(1) + " " + module.group(1));
    }
  }

  @Test
  void everyServiceHasAHealthcheckARestartPolicyAndBoundedLogs() throws Exception {
    JsonNode services = compose().get("services");
    for (String service : List.of("broker", "coordinator", "worker")) {
      JsonNode s = services.get(service);
      assertThat(toList(s.get("healthcheck").get("test")))
          .as("%s's healthcheck", service)
          .first()
          .isEqualTo("CMD");
      assertThat(s.get("healthcheck").get("interval").asText()).isNotBlank();
      assertThat(s.get("healthcheck").get("retries").asInt()).isPositive();
      assertThat(s.get("restart").asText()).as(service).isEqualTo("unless-stopped");
      JsonNode logging = s.get("logging");
      assertThat(logging.get("driver").asText()).as(service).isEqualTo("json-file");
      assertThat(logging.get("options").get("max-size").asText()).matches("\\d+m");
      assertThat(logging.get("options").get("max-file").asInt()).isBetween(1, 5);
    }
    assertThat(toList(services.get("coordinator").get("healthcheck").get("test")))
        .endsWith("/opt/beadpool/healthcheck.sh", "coordinator");
    assertThat(toList(services.get("worker").get("healthcheck").get("test")))
        .endsWith("/opt/beadpool/healthcheck.sh", "worker");
  }

  @Test
  void theCoordinatorAndTheWorkersWaitForHealthyServicesTheyNeed() throws Exception {
    JsonNode services = compose().get("services");
    assertThat(
            services.get("coordinator").get("depends_on").get("broker").get("condition").asText())
        .isEqualTo("service_healthy");
    for (String needed : List.of("broker", "coordinator")) {
      assertThat(services.get("worker").get("depends_on").get(needed).get("condition").asText())
          .as("worker waits for %s", needed)
          .isEqualTo("service_healthy");
    }
  }

  @Test
  void theApiIsPublishedOnTheHostsLoopbackOnlyOnItsOwnPortAndNeedsAToken() throws Exception {
    JsonNode coordinator = compose().get("services").get("coordinator");
    JsonNode env = coordinator.get("environment");
    assertThat(env.get("BEADPOOL_HTTP_HOST").asText()).isEqualTo("0.0.0.0");
    String port = env.get("BEADPOOL_HTTP_PORT").asText();
    assertThat(withDefaults(port))
        .isEqualTo(Integer.toString(dev.beadpool.api.CoordinatorApi.DEFAULT_PORT));
    // why the same port on both sides: the API refuses a Host header naming another port
    assertThat(toList(coordinator.get("ports"))).containsExactly("127.0.0.1:" + port + ":" + port);
    assertThat(env.get(CoordinatorClient.TOKEN_ENV).asText()).startsWith("${").contains(":?");
  }

  @Test
  void oneImageIsBuiltOnceAndRunsAsTheRepositorysOwner() throws Exception {
    JsonNode services = compose().get("services");
    JsonNode coordinator = services.get("coordinator");
    JsonNode worker = services.get("worker");
    assertThat(coordinator.get("build").asText()).isEqualTo(".");
    assertThat(worker.has("build")).as("the workers run the coordinator's image").isFalse();
    assertThat(worker.get("image").asText()).isEqualTo(coordinator.get("image").asText());
    for (JsonNode s : List.of(coordinator, worker)) {
      assertThat(s.get("user").asText()).isEqualTo("${BEADPOOL_UID:-1000}:${BEADPOOL_GID:-1000}");
    }
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    assertThat(dockerfile)
        .contains("safe.directory /repo")
        .contains("COPY docker/beadpool/ /opt/beadpool/")
        .contains("ENTRYPOINT [\"/bin/sh\", \"/opt/beadpool/entrypoint.sh\"]");
  }

  @Test
  void noTwoWorkersShareAWorkingTreeAndAllMeetOnOneGitRemote() throws Exception {
    JsonNode services = compose().get("services");
    JsonNode worker = services.get("worker");
    JsonNode coordinator = services.get("coordinator");
    assertThat(worker.get("environment").has("BEADPOOL_WORKDIR"))
        .as("a working tree shared by every worker")
        .isFalse();
    assertThat(Files.readString(IMAGE_SCRIPTS.resolve("entrypoint.sh")))
        .contains("BEADPOOL_WORKDIR=/workspaces/${HOSTNAME")
        .contains("git clone --bare --quiet -- \"$BEADPOOL_REPOSITORY_INIT_FROM\"");
    List<String> workerVolumes = new ArrayList<>();
    worker.get("volumes").forEach(v -> workerVolumes.add(v.asText()));
    assertThat(workerVolumes)
        .as("the project is only read; agents work in the worker's own clone")
        .contains("${BEADPOOL_REPO:-.}:/repo:ro", "git:/srv/git");
    assertThat(coordinator.get("environment").get("BEADPOOL_REPOSITORY_INIT_FROM").asText())
        .isEqualTo("/repo");
    for (JsonNode s : List.of(coordinator, worker)) {
      assertThat(withDefaults(s.get("environment").get("BEADPOOL_REPOSITORY_URL").asText()))
          .isEqualTo("/srv/git/project.git");
    }
    assertThat(compose().get("volumes").has("git")).isTrue();
    assertThat(Files.readString(ROOT.resolve("Dockerfile"))).contains("/srv/git");
  }

  @Test
  void withoutARepositoryNamedNoConfigurationFileIsNamedThatMayNotExist() throws Exception {
    JsonNode services = compose().get("services");
    for (String service : List.of("coordinator", "worker")) {
      // empty: beadpool.yaml beside the store (the coordinator) or in /repo (a worker), if there
      assertThat(services.get(service).get("environment").get("BEADPOOL_CONFIG").asText())
          .isEqualTo("${BEADPOOL_CONFIG:-}");
    }
  }

  @Test
  void theEnvExampleGivesEveryRequiredVariableAndEnvFilesStayOutOfGitAndImages() throws Exception {
    String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
    Set<String> required = new HashSet<>();
    Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?").matcher(compose);
    while (m.find()) {
      required.add(m.group(1));
    }
    assertThat(required)
        .contains(
            "BEADPOOL_BROKER_ADMIN_PASSWORD",
            "BEADPOOL_COORDINATOR_PASSWORD",
            "BEADPOOL_WORKER_PASSWORD",
            CoordinatorClient.TOKEN_ENV);
    String example = Files.readString(ROOT.resolve(".env.example"));
    for (String name : required) {
      assertThat(example).as(".env.example names " + name).containsPattern("(?m)^" + name + "=");
    }
    for (String name : List.of("BEADPOOL_REPO", "BEADPOOL_UID", "BEADPOOL_GID")) {
      assertThat(example).containsPattern("(?m)^" + name + "=");
    }
    assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains(".env");
    assertThat(Files.readAllLines(ROOT.resolve(".dockerignore"))).contains(".env");
  }

  @Test
  void theClaudeWorkerImageGetsItsKeyFromTheEnvironmentNeverInALayer() throws Exception {
    Path claude = ROOT.resolve("docker/agents/claude");
    JsonNode worker =
        new ObjectMapper(new YAMLFactory())
            .readTree(claude.resolve("docker-compose.claude.yml").toFile())
            .get("services")
            .get("worker");
    assertThat(worker.get("environment").get("ANTHROPIC_API_KEY").asText())
        .isEqualTo("${ANTHROPIC_API_KEY:?set ANTHROPIC_API_KEY (or put it in .env)}");
    assertThat(worker.get("build").get("args").has("ANTHROPIC_API_KEY")).isFalse();
    assertThat(worker.get("build").get("context").asText()).isEqualTo("docker/agents/claude");
    String dockerfile = Files.readString(claude.resolve("Dockerfile"));
    assertThat(dockerfile)
        .contains("FROM ${BEADPOOL_IMAGE}")
        .contains("npm install -g")
        .contains("@anthropic-ai/claude-code")
        .doesNotContain("ANTHROPIC_API_KEY=");
    assertThat(dockerfile).containsPattern("(?m)^USER beadpool$");
  }

  /** {@code ${NAME:-default}} replaced by its default. */
  static String withDefaults(String text) {
    return text.replaceAll("\\$\\{[A-Z0-9_]+:-([^}]*)}", "$1");
  }

  static List<String> toList(JsonNode array) {
    List<String> values = new java.util.ArrayList<>();
    array.forEach(n -> values.add(n.asText()));
    return values;
  }
}
