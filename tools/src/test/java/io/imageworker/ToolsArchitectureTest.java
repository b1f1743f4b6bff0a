package io.imageworker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The rules of the tools' module (docs/architecture.md, "Modules"), on its compiled main classes. That
 * the worker cannot reach the tools is the build's doing (the tools are not on its class path); these
 * hold the tools' own order: the commands (cli, bench) use training, never the other way, no package
 * cycle at any depth, and the tools reach object storage and ONNX Runtime only through the worker's
 * storage and models packages.
 */
@AnalyzeClasses(packages = {"io.imageworker.training", "io.imageworker.cli", "io.imageworker.bench"},
        importOptions = ImportOption.DoNotIncludeTests.class)
class ToolsArchitectureTest {

    @ArchTest
    static final ArchRule trainingDoesNotReachTheCommands = noClasses().that().resideInAPackage("io.imageworker.training..")
            .should().dependOnClassesThat().resideInAnyPackage("io.imageworker.cli..", "io.imageworker.bench..")
            .because("recipes and evaluations are used by the commands, and by the worker's update check through its interface");

    @ArchTest
    static final ArchRule awsSdkOnlyThroughStorage = noClasses().should().dependOnClassesThat().resideInAPackage("software.amazon..")
            .because("object storage is reached through the worker's storage.ObjectStore");

    @ArchTest
    static final ArchRule onnxRuntimeOnlyThroughDjl = noClasses().should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..")
            .because("ONNX Runtime is reached through DJL and the worker's model loader");

    @ArchTest
    static final ArchRule noCyclesBetweenTheTools = slices().matching("io.imageworker.(*)..").should().beFreeOfCycles();

    /**
     * No cycle between packages at any depth: {@code training} and each of its sub-packages are slices of their
     * own (the registries, {@code Evaluations} and {@code RecipeBook}, find their entries through
     * {@link java.util.ServiceLoader} instead of naming each sub-package).
     */
    @ArchTest
    static final ArchRule noCyclesAtAnyDepth = slices().matching("io.imageworker.(**)").should().beFreeOfCycles();
}
