package dev.beadpool.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Pins the architecture: common depends on nothing of ours; coordinator and worker never on each
 * other.
 */
class ArchitectureTest {
  static final String[] COMMON = {
    "dev.beadpool.bead..",
    "dev.beadpool.jsonl..",
    "dev.beadpool.graph..",
    "dev.beadpool.id..",
    "dev.beadpool.config.."
  };
  static final String COORDINATOR = "dev.beadpool.store..";
  static final String WORKER = "dev.beadpool.worker..";
  static final String AGENT = "dev.beadpool.agent..";
  static final String CLI = "dev.beadpool.cli..";

  final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.beadpool");

  @Test
  void commonDependsOnNothingOfOurs() {
    noClasses()
        .that()
        .resideInAnyPackage(COMMON)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(COORDINATOR, WORKER, AGENT, CLI)
        .check(classes);
  }

  @Test
  void coordinatorAndWorkerNeverDependOnEachOther() {
    noClasses()
        .that()
        .resideInAPackage(COORDINATOR)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(WORKER, AGENT, CLI)
        .check(classes);
    noClasses()
        .that()
        .resideInAnyPackage(WORKER, AGENT)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(COORDINATOR, CLI)
        .allowEmptyShould(true)
        .check(classes);
  }
}
