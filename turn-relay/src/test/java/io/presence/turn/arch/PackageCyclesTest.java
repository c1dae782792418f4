package io.presence.turn.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The relay's package rules (README, "Packages"): no cycles between packages, and only the root package
 * {@code io.presence.turn} (the composition root: {@code TurnServer}) depends on it.
 *
 * <p>One slice per package, the root included: {@code io.presence.turn.(**)} would leave the root out (its pattern
 * needs a subpackage), and a cycle between the root and a subpackage is a cycle too.
 */
class PackageCyclesTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.presence.turn");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.presence.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void subpackagesDoNotDependOnTheRoot() {
        noClasses().that().resideInAPackage("io.presence.turn.(*)..")
                .should().dependOnClassesThat().resideInAPackage("io.presence.turn")
                .check(MAIN);
    }

    @Test
    void allocationsReachSocketsOnlyThroughTheirOwnInterfaces() {
        noClasses().that().resideInAPackage("io.presence.turn.allocation")
                .should().dependOnClassesThat().resideInAnyPackage("io.presence.turn.transport",
                        "io.presence.turn.handler")
                .check(MAIN);
    }
}
