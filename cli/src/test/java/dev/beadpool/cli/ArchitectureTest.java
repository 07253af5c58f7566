package dev.beadpool.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.beadpool.store.UsesDispatch;
import dev.beadpool.worker.UsesCoordinator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the architecture, module by module and layer by layer inside each, the way JobRunr's package
 * dependency tests do: every package of ours belongs to one module; common depends on nothing of
 * ours; coordinator and worker never meet; inside the coordinator, api over dispatch over store;
 * inside the worker, worker over agent; nothing depends on the CLI. The last two tests show that
 * the rules do fail: a class that breaks one (test sources only) is caught.
 */
class ArchitectureTest {
  static final String[] COMMON = {
    "dev.beadpool.bead..",
    "dev.beadpool.config..",
    "dev.beadpool.graph..",
    "dev.beadpool.id..",
    "dev.beadpool.jsonl..",
    "dev.beadpool.messaging..",
    "dev.beadpool.protocol.."
  };

  /** The data packages of common: they know nothing of JMS or the wire. */
  static final String[] COMMON_DATA = {
    "dev.beadpool.bead..",
    "dev.beadpool.config..",
    "dev.beadpool.graph..",
    "dev.beadpool.id..",
    "dev.beadpool.jsonl.."
  };

  static final String API = "dev.beadpool.api..";
  static final String DISPATCH = "dev.beadpool.dispatch..";
  static final String STORE = "dev.beadpool.store..";
  static final String OWNER = "dev.beadpool.owner..";
  static final String[] COORDINATOR = {API, DISPATCH, STORE, OWNER};

  static final String WORKER_LOOP = "dev.beadpool.worker..";
  static final String AGENT = "dev.beadpool.agent..";
  static final String[] WORKER = {WORKER_LOOP, AGENT};

  static final String BROKER = "dev.beadpool.broker..";
  static final String CLI = "dev.beadpool.cli..";

  static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // why: other modules' test helpers reach this classpath as test jars
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages("dev.beadpool");

  /** The store never reaches up into dispatch or the API. */
  static final ArchRule STORE_STAYS_BELOW =
      noClasses()
          .that()
          .resideInAPackage(STORE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(DISPATCH, API, OWNER, CLI);

  /** The coordinator's classes never use the worker's, and the other way round. */
  static final ArchRule WORKER_NEVER_MEETS_COORDINATOR =
      noClasses()
          .that()
          .resideInAnyPackage(WORKER)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(COORDINATOR);

  @Test
  void everyPackageBelongsToAModule() {
    String[] all =
        Stream.of(COMMON, COORDINATOR, WORKER, new String[] {BROKER, CLI})
            .flatMap(Stream::of)
            .toArray(String[]::new);
    classes()
        .that()
        .resideInAPackage("dev.beadpool..")
        .should()
        .resideInAnyPackage(all)
        .because("a new package must be given its module and layer here")
        .check(MAIN);
  }

  @Test
  void commonDependsOnNothingOfOurs() {
    noClasses()
        .that()
        .resideInAnyPackage(COMMON)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            Stream.of(COORDINATOR, WORKER, new String[] {BROKER, CLI})
                .flatMap(Stream::of)
                .toArray(String[]::new))
        .check(MAIN);
  }

  @Test
  void commonDataKnowsNothingOfMessaging() {
    noClasses()
        .that()
        .resideInAnyPackage(COMMON_DATA)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.beadpool.messaging..", "dev.beadpool.protocol..")
        .check(MAIN);
  }

  @Test
  void coordinatorAndWorkerNeverMeet() {
    WORKER_NEVER_MEETS_COORDINATOR.check(MAIN);
    noClasses()
        .that()
        .resideInAnyPackage(COORDINATOR)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(WORKER)
        .check(MAIN);
  }

  @Test
  void storeDoesNotUseDispatchOrTheApi() {
    STORE_STAYS_BELOW.check(MAIN);
  }

  @Test
  void layersInsideEachModule() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("cli")
        .definedBy(CLI)
        .layer("api")
        .definedBy(API)
        .layer("dispatch")
        .definedBy(DISPATCH)
        .layer("store")
        .definedBy(STORE)
        .layer("owner")
        .definedBy(OWNER)
        .layer("worker")
        .definedBy(WORKER_LOOP)
        .layer("agent")
        .definedBy(AGENT)
        .layer("broker")
        .definedBy(BROKER)
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("api")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("dispatch")
        .mayOnlyBeAccessedByLayers("api", "cli")
        .whereLayer("store")
        .mayOnlyBeAccessedByLayers("dispatch", "api", "cli")
        .whereLayer("owner")
        .mayOnlyBeAccessedByLayers("api", "cli")
        .whereLayer("worker")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("agent")
        .mayOnlyBeAccessedByLayers("worker", "cli")
        .whereLayer("broker")
        .mayOnlyBeAccessedByLayers("cli")
        .check(MAIN);
  }

  @Test
  void aStoreClassUsingDispatchFails() {
    JavaClasses breaking = new ClassFileImporter().importClasses(UsesDispatch.class);
    assertThatThrownBy(() -> STORE_STAYS_BELOW.check(breaking))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("UsesDispatch");
  }

  @Test
  void aWorkerClassUsingTheCoordinatorFails() {
    JavaClasses breaking = new ClassFileImporter().importClasses(UsesCoordinator.class);
    assertThatThrownBy(() -> WORKER_NEVER_MEETS_COORDINATOR.check(breaking))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("UsesCoordinator");
  }
}
