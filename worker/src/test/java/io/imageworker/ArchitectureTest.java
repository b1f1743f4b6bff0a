package io.imageworker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The rules of the code's layout (docs/architecture.md, "Layout"), held on the compiled main classes. The job's
 * path runs one way: tools (cli, bench), training -> pipeline -> tasks -> intake, publish, planning,
 * artifacts, storage (observability beside them) -> inference, batching -> models -> imaging, documents,
 * events, config (a layer may use any layer below it). PDFBox stays in documents. Kafka's client
 * stays at the edges, the AWS SDK in storage, DJL in the machine-learning packages.
 */
@AnalyzeClasses(packages = "io.imageworker", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The worker's own packages, the tools excepted (the CLI and the bench are Kafka clients themselves). */
    static final String[] WORKER = {"io.imageworker.pipeline..", "io.imageworker.tasks..", "io.imageworker.planning..",
        "io.imageworker.inference..", "io.imageworker.batching..", "io.imageworker.models..", "io.imageworker.imaging..",
        "io.imageworker.artifacts..", "io.imageworker.storage..", "io.imageworker.events..", "io.imageworker.config..",
        "io.imageworker.observability..", "io.imageworker.documents.."};

    @ArchTest
    static final ArchRule kafkaOnlyAtTheEdges = noClasses().that().resideInAnyPackage(WORKER)
            .should().dependOnClassesThat().resideInAPackage("org.apache.kafka..")
            .because("records become JobEnvelopes in intake/ and results become records in publish/");

    @ArchTest
    static final ArchRule awsSdkOnlyInStorage = noClasses().that().resideOutsideOfPackage("io.imageworker.storage..")
            .should().dependOnClassesThat().resideInAPackage("software.amazon..")
            .because("object storage is reached through storage.ObjectStore");

    @ArchTest
    static final ArchRule djlOnlyInMachineLearning = noClasses().that().resideInAnyPackage("io.imageworker.pipeline..",
                    "io.imageworker.intake..", "io.imageworker.publish..", "io.imageworker.planning..",
                    "io.imageworker.storage..", "io.imageworker.artifacts..", "io.imageworker.imaging..",
                    "io.imageworker.events..", "io.imageworker.config..", "io.imageworker.observability..",
                    "io.imageworker.documents..")
            .should().dependOnClassesThat().resideInAPackage("ai.djl..")
            .because("DJL lives in inference, batching, models, training and tasks: an engine is a dependency of those only");

    @ArchTest
    static final ArchRule onnxRuntimeOnlyWhereModelsLoad = noClasses().that().resideOutsideOfPackage("io.imageworker.models..")
            .should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..")
            .because("ONNX Runtime is reached through DJL; only the load-time check of a card reads the graph directly");

    @ArchTest
    static final ArchRule openCvOnlyInTasksAndTraining = noClasses().that().resideOutsideOfPackages("io.imageworker.tasks..",
                    "io.imageworker.training..")
            .should().dependOnClassesThat().resideInAnyPackage("org.opencv..", "nu.pattern..")
            .because("OpenCV does the geometry of a task's post-processing (text boxes), not the pipeline's");

    @ArchTest
    static final ArchRule pdfBoxOnlyInDocuments = noClasses().that().resideOutsideOfPackages("io.imageworker.documents..",
                    "io.imageworker.training..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.pdfbox..", "org.apache.fontbox..")
            .because("a document becomes page images in documents/ (training's document set writes PDFs with it too);"
                    + " no other stage parses PDF");

    @ArchTest
    static final ArchRule modelCardsAreBuiltByName = noClasses().that().doNotHaveFullyQualifiedName(
                    "io.imageworker.models.ModelCard").and().doNotHaveFullyQualifiedName("io.imageworker.models.ModelCard$Builder")
            .should().callConstructorWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                    com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                            com.tngtech.archunit.core.domain.JavaClass.Predicates.type(io.imageworker.models.ModelCard.class))))
            .because("a card has 18 fields: ModelCard.builder(..) and toBuilder() name each one; a positional call"
                    + " silently drops or swaps them (two copies in training lost a card's output, companions and update check)");

    @ArchTest
    static final ArchRule noCycles = slices().matching("io.imageworker.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Entry").definedBy("io.imageworker")
            .layer("Pipeline").definedBy("io.imageworker.pipeline..")
            .layer("Tasks").definedBy("io.imageworker.tasks..")
            .layer("Observability").definedBy("io.imageworker.observability..")
            .layer("Edges").definedBy("io.imageworker.intake..", "io.imageworker.publish..", "io.imageworker.planning..",
                    "io.imageworker.artifacts..", "io.imageworker.storage..")
            .layer("Inference").definedBy("io.imageworker.inference..", "io.imageworker.batching..")
            .layer("Models").definedBy("io.imageworker.models..")
            .layer("Foundation").definedBy("io.imageworker.imaging..", "io.imageworker.events..", "io.imageworker.config..",
                    "io.imageworker.documents..")
            .whereLayer("Entry").mayNotBeAccessedByAnyLayer()
            .whereLayer("Pipeline").mayOnlyBeAccessedByLayers("Entry")
            .whereLayer("Tasks").mayOnlyBeAccessedByLayers("Pipeline")
            .whereLayer("Observability").mayOnlyBeAccessedByLayers("Pipeline")
            .whereLayer("Edges").mayOnlyBeAccessedByLayers("Pipeline", "Tasks")
            // Observability implements the observer interfaces that batching and inference declare.
            .whereLayer("Inference").mayOnlyBeAccessedByLayers("Entry", "Pipeline", "Tasks", "Observability")
            .whereLayer("Models").mayOnlyBeAccessedByLayers("Pipeline", "Tasks", "Observability", "Edges", "Inference");
}
