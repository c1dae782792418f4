package io.presence.signaling.app;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.presence.net.TokenBucket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dependency rules ARCHITECTURE.md states, checked on the production classes of every module (this module's
 * test class path holds them all). Maven already refuses a module that imports one it does not depend on; these
 * rules cover what Maven cannot see: cycles between packages inside a module, and which packages of a module may
 * reach which types.
 */
class ArchitectureTest {

    private static final String CORE_ROOT = "io.presence.signaling.";
    /** The signaling core: rooms, sessions, chat, calls, SDP privacy, and the ports storage and identity implement. */
    private static final String[] CORE = {
            CORE_ROOT + "core..", CORE_ROOT + "room..", CORE_ROOT + "session..", CORE_ROOT + "live..",
            CORE_ROOT + "storage..", CORE_ROOT + "identity..", CORE_ROOT + "runtime.."};

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        // Test classes come as directories (test-classes) or, from other modules, as their test jars.
        ImportOption productionOnly = location -> !location.contains("/test-classes/")
                && !location.contains("-tests.jar");
        production = new ClassFileImporter().withImportOption(productionOnly).importPackages("io.presence");
        assertTrue(production.containPackage("io.presence.turn"), "the relay's classes are on the class path");
        assertTrue(production.containPackage("io.presence.signaling.room"), "the core's classes are on the class path");
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        check(slices().matching("io.presence.(**)").should().beFreeOfCycles());
    }

    @Test
    void theCoreImportsNoTransportNoJdbcAndNoNetty() {
        check(noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat().resideInAnyPackage(
                "io.netty..", "java.sql..", "javax.sql..", "java.net.http..",
                "io.presence.signaling.transport..", "io.presence.signaling.client..", "io.presence.signaling.app..",
                "io.presence.signaling.loadtest..", "io.presence.stun..", "io.presence.turn..",
                "com.fasterxml.jackson.dataformat.."));
    }

    /** JDBC, the pool and the migrations live in the storage module only; everything else reaches it through ports. */
    @Test
    void onlyTheStorageModuleTalksJdbc() {
        check(noClasses().that().resideInAPackage("io.presence..")
                .and().resideOutsideOfPackage("io.presence.signaling.jdbc..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "com.zaxxer..",
                        "org.flywaydb..", "org.h2..", "com.mysql.."));
    }

    /** Of the network base, the core uses the one token bucket every rate limit of the appliance shares. */
    @Test
    void theCoreTakesOnlyTheTokenBucketFromTheNetworkBase() {
        check(noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat(
                JavaClass.Predicates.resideInAPackage("io.presence.net..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.equivalentTo(TokenBucket.class)))));
    }

    @Test
    void theWireProtocolStandsOnItsOwn() {
        check(noClasses().that().resideInAPackage("io.presence.signaling.protocol..").should().dependOnClassesThat()
                .resideInAnyPackage("io.netty..", "io.presence.net..", "io.presence.metrics..", "io.presence.stun..",
                        "io.presence.turn..", "io.presence.signaling.room..", "io.presence.signaling.session..",
                        "io.presence.signaling.live..", "io.presence.signaling.core..", "io.presence.signaling.storage..",
                        "io.presence.signaling.identity..", "io.presence.signaling.runtime..",
                        "io.presence.signaling.transport..", "io.presence.signaling.client..",
                        "io.presence.signaling.app.."));
    }

    @Test
    void onlyTheCompositionRootWiresModulesTogether() {
        check(noClasses().that().resideOutsideOfPackage("io.presence.signaling.app..").should().dependOnClassesThat()
                .resideInAPackage("io.presence.signaling.app.."));
        // The relay and the signaling side meet only in the composition root (the core reaches the relay through
        // its CredentialMinter port).
        check(noClasses().that().resideInAPackage("io.presence.signaling..")
                .and().resideOutsideOfPackage("io.presence.signaling.app..")
                .should().dependOnClassesThat().resideInAPackage("io.presence.turn.."));
    }

    @Test
    void theClientLibraryDependsOnTheProtocolOnly() {
        check(noClasses().that().resideInAPackage("io.presence.signaling.client..").should().dependOnClassesThat()
                .resideInAnyPackage("io.presence.net..", "io.presence.metrics..", "io.presence.stun..",
                        "io.presence.turn..", "io.presence.signaling.room..", "io.presence.signaling.session..",
                        "io.presence.signaling.live..", "io.presence.signaling.core..", "io.presence.signaling.storage..",
                        "io.presence.signaling.identity..", "io.presence.signaling.runtime..",
                        "io.presence.signaling.transport..", "io.presence.signaling.loadtest.."));
    }

    /**
     * Sign-in providers (signaling/identity, io.presence.signaling.signin) stand on the core's identity port: the core
     * never reaches them (the composition root hands them in), they reach no transport, storage, relay or network
     * base, and JWT handling (nimbus) stays inside them.
     */
    @Test
    void signInProvidersStandOnTheCorePortsOnly() {
        check(noClasses().that().resideInAnyPackage(CORE).or().resideInAnyPackage("io.presence.signaling.protocol..",
                        "io.presence.signaling.transport..", "io.presence.signaling.jdbc..",
                        "io.presence.signaling.client..", "io.presence.signaling.loadtest..")
                .should().dependOnClassesThat().resideInAPackage("io.presence.signaling.signin.."));
        check(noClasses().that().resideInAPackage("io.presence.signaling.signin..").should().dependOnClassesThat()
                .resideInAnyPackage("io.netty..", "io.presence.net..", "io.presence.stun..", "io.presence.turn..",
                        "io.presence.signaling.transport..", "io.presence.signaling.jdbc..",
                        "io.presence.signaling.client..", "io.presence.signaling.loadtest..",
                        "io.presence.signaling.app..", "java.sql..", "java.net.http.."));
        check(noClasses().that().resideInAPackage("io.presence..")
                .and().resideOutsideOfPackage("io.presence.signaling.signin..")
                .should().dependOnClassesThat().resideInAPackage("com.nimbusds.."));
    }

    /**
     * Friend sign-in (signaling/identity, io.presence.signaling.friend) is the one provider that calls out over the
     * network, with the JDK's HTTP client; like the others it stands on the core's identity port only, and nothing
     * but the composition root reaches it.
     */
    @Test
    void friendSignInStandsOnTheCorePortsOnly() {
        check(noClasses().that().resideInAnyPackage(CORE).or().resideInAnyPackage("io.presence.signaling.protocol..",
                        "io.presence.signaling.transport..", "io.presence.signaling.jdbc..",
                        "io.presence.signaling.client..", "io.presence.signaling.loadtest..",
                        "io.presence.signaling.signin..")
                .should().dependOnClassesThat().resideInAPackage("io.presence.signaling.friend.."));
        check(noClasses().that().resideInAPackage("io.presence.signaling.friend..").should().dependOnClassesThat()
                .resideInAnyPackage("io.netty..", "io.presence.net..", "io.presence.stun..", "io.presence.turn..",
                        "io.presence.signaling.transport..", "io.presence.signaling.jdbc..",
                        "io.presence.signaling.client..", "io.presence.signaling.loadtest..",
                        "io.presence.signaling.app..", "java.sql.."));
    }

    @Test
    void floorsPointDown() {
        check(noClasses().that().resideInAnyPackage("io.presence.metrics..", "io.presence.net..", "io.presence.stun..")
                .should().dependOnClassesThat().resideInAnyPackage("io.presence.turn..", "io.presence.signaling.."));
        check(noClasses().that().resideInAPackage("io.presence.metrics..").should().dependOnClassesThat()
                .resideInAnyPackage("io.presence.net..", "io.presence.stun.."));
        check(noClasses().that().resideInAPackage("io.presence.turn..").should().dependOnClassesThat()
                .resideInAPackage("io.presence.signaling.."));
        check(noClasses().that().resideInAPackage("io.presence.signaling.transport..").should().dependOnClassesThat()
                .resideInAnyPackage("io.presence.signaling.client..", "io.presence.signaling.loadtest.."));
    }

    private static void check(ArchRule rule) {
        rule.check(production);
    }
}
