package dev.configstore;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules the packages keep, checked on the compiled main classes: what an API package may
 * hold, what the command line may use, and the direction of every dependency inside
 * {@code internal} (README, "Inside").
 */
class ArchitectureTest {

    private static final String[] API = {"dev.configstore", "dev.configstore.history", "dev.configstore.profile",
        "dev.configstore.backup", "dev.configstore.lock", "dev.configstore.format", "dev.configstore.health",
        "dev.configstore.watch"};

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.configstore");
    }

    @Test
    void apiPackages_holdOnlyInterfacesRecordsEnumsExceptionsAndTheBuilder() {
        DescribedPredicate<JavaClass> allowed = DescribedPredicate.describe(
                "an interface, record, enum, exception or the builder",
                type -> type.isInterface() || type.isEnum() || type.isAssignableTo(Record.class)
                        || type.isAssignableTo(Exception.class)
                        || type.getName().equals(ConfigStoreBuilder.class.getName()));
        classes().that().resideInAnyPackage(API).and().areNotAnonymousClasses()
                .should(com.tngtech.archunit.lang.conditions.ArchConditions.be(allowed))
                .check(main);
    }

    @Test
    void apiPackages_reachTheImplementationOnlyThroughTheBuilder() {
        noClasses().that().resideInAnyPackage(API).and().doNotHaveFullyQualifiedName(ConfigStoreBuilder.class.getName())
                .should().dependOnClassesThat().resideInAPackage("dev.configstore.internal..")
                .check(main);
    }

    @Test
    void commandLineAndIntegrations_useOnlyTheApi() {
        noClasses().that().resideInAnyPackage("dev.configstore.cli..", "dev.configstore.microprofile..")
                .should().dependOnClassesThat().resideInAPackage("dev.configstore.internal..")
                .check(main);
    }

    @Test
    void internalPackages_haveNoCycles() {
        slices().matching("dev.configstore.internal.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void databaseLayer_importsNoFeaturePackage() {
        noClasses().that().resideInAPackage("dev.configstore.internal.db..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.configstore.internal",
                        "dev.configstore.internal.document..", "dev.configstore.internal.rows..",
                        "dev.configstore.internal.write..", "dev.configstore.internal.read..",
                        "dev.configstore.internal.history..", "dev.configstore.internal.profile..",
                        "dev.configstore.internal.backup..", "dev.configstore.internal.format..",
                        "dev.configstore.internal.lock..", "dev.configstore.internal.health..",
                        "dev.configstore.internal.watch..", "dev.configstore.internal.schema..",
                        "dev.configstore.internal.secret..")
                .check(main);
    }

    @Test
    void internalLayers_dependOnlyDownwards() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage("dev.configstore.internal..")
                .layer("facade").definedBy("dev.configstore.internal")
                .layer("features").definedBy("dev.configstore.internal.history..", "dev.configstore.internal.profile..",
                        "dev.configstore.internal.backup..", "dev.configstore.internal.format..",
                        "dev.configstore.internal.lock..", "dev.configstore.internal.health..",
                        "dev.configstore.internal.watch..", "dev.configstore.internal.schema..",
                        "dev.configstore.internal.secret..")
                .layer("read").definedBy("dev.configstore.internal.read..")
                .layer("write").definedBy("dev.configstore.internal.write..")
                .layer("rows").definedBy("dev.configstore.internal.rows..")
                .layer("document").definedBy("dev.configstore.internal.document..")
                .layer("database").definedBy("dev.configstore.internal.db..", "dev.configstore.internal.jooq..")
                .whereLayer("facade").mayNotBeAccessedByAnyLayer()
                .whereLayer("features").mayOnlyBeAccessedByLayers("facade", "features")
                .whereLayer("read").mayOnlyBeAccessedByLayers("facade", "features")
                .whereLayer("write").mayOnlyBeAccessedByLayers("facade", "features", "read")
                .whereLayer("rows").mayOnlyBeAccessedByLayers("facade", "features", "read", "write")
                .whereLayer("document").mayOnlyBeAccessedByLayers("facade", "features", "read", "write", "rows")
                .check(main);
    }
}
