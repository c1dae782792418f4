package io.presence.stun.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * No cycles between the module's packages: {@code attr} and {@code codec} depend on the root {@code io.presence.stun},
 * {@code server} on all three and on {@code io.presence.net} (README, "Packages").
 *
 * <p>One slice per package, the root package {@code io.presence.stun} included: {@code io.presence.stun.(**)} would
 * leave the root out (its pattern needs a subpackage), and a cycle between the root and a subpackage is a cycle too.
 */
class PackageCyclesTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.presence.stun", "io.presence.net");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.presence.(**)").should().beFreeOfCycles().check(MAIN);
    }
}
