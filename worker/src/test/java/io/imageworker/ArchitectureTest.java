package io.imageworker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rules of the code's layout (docs/architecture.md, "Layout"), held on the compiled main classes. The job's
 * path runs one way, down a line: pipeline -> planning -> tasks -> publish -> intake -> job -> artifacts -> storage
 * -> observability -> inference -> batching -> models -> imaging -> events -> config. Each package's allowed edges
 * are listed on their own ({@link #ALLOWED}), each only to packages below it; no package cycle at any depth. The
 * tools (cli, bench, training) are another module above the line (docs/architecture.md, "Modules"): the worker's
 * class path does not have them, and {@code ToolsArchitectureTest} holds their rules. Kafka's client stays at the
 * edges, the AWS SDK in storage, DJL in the machine-learning packages.
 */
@AnalyzeClasses(packages = "io.imageworker",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class,
            ArchitectureTest.NotTheDatasets.class}) // the worker's classes only
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

    /**
     * The serving path as a line, top first: a package may depend only on packages after it, and only
     * on those {@link #ALLOWED} names for it. The tools (cli, bench, training and the launcher) are
     * above the line; nothing on it depends on them.
     */
    static final List<String> LINE = List.of("pipeline", "planning", "tasks", "publish", "intake", "job", "artifacts",
            "storage", "observability", "inference", "batching", "models", "documents", "imaging", "events", "config");

    /** Each serving package to the exact io.imageworker packages it may depend on (its sub-packages are its own). */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("pipeline", Set.of("planning", "tasks", "publish", "intake", "job", "artifacts", "storage",
                    "observability", "inference", "batching", "models", "documents", "imaging", "events", "config")),
            Map.entry("planning", Set.of("tasks", "job", "storage", "inference", "models", "events")),
            Map.entry("tasks", Set.of("job", "artifacts", "storage", "inference", "models", "documents", "imaging", "events")),
            // publish's transactional producer commits the offsets intake tracks (intake.TransactionalCommits).
            Map.entry("publish", Set.of("intake")),
            Map.entry("intake", Set.of("job", "events")),
            Map.entry("job", Set.of("storage", "events")),
            Map.entry("artifacts", Set.of("storage", "imaging")),
            Map.entry("storage", Set.of("models", "events", "config")),
            // Observability implements the observer interfaces that batching and inference declare.
            Map.entry("observability", Set.of("inference", "batching")),
            Map.entry("inference", Set.of("batching", "models", "imaging")),
            Map.entry("batching", Set.of()),
            Map.entry("models", Set.of("imaging")),
            // PDF, TIFF and GIF pages as images (the pipeline serves them page by page: issue 28).
            Map.entry("documents", Set.of("imaging", "events")),
            Map.entry("imaging", Set.of("events")),
            Map.entry("events", Set.of()),
            Map.entry("config", Set.of()));

    @ArchTest
    static void theAllowedEdgesRunDownTheLineOnly(JavaClasses classes) {
        assertThat(ALLOWED.keySet()).containsExactlyInAnyOrderElementsOf(LINE);
        for (int i = 0; i < LINE.size(); i++) {
            assertThat(LINE.subList(i + 1, LINE.size())).as("what %s may depend on lies below it", LINE.get(i))
                    .containsAll(ALLOWED.get(LINE.get(i)));
        }
    }

    @ArchTest
    static void everyPackageIsOnTheLine(JavaClasses classes) {
        Set<String> packages = new TreeSet<>();
        classes.forEach(c -> top(c.getPackageName()).ifPresent(packages::add));
        assertThat(packages).allSatisfy(p -> assertThat(LINE.contains(p))
                .as("package %s is not on the line: give it its place in LINE and ALLOWED", p).isTrue());
    }

    /**
     * Each serving package depends on exactly its allowed packages: every edge off its list is named,
     * class to class, and an allowed edge no class uses any more must leave the list (so it stays exact).
     */
    @ArchTest
    static void eachServingPackageDependsOnExactlyWhatItIsAllowed(JavaClasses classes) {
        List<String> offending = new ArrayList<>();
        Map<String, Set<String>> used = new TreeMap<>();
        for (JavaClass c : classes) {
            Optional<String> from = top(c.getPackageName()).filter(ALLOWED::containsKey);
            if (from.isEmpty()) {
                continue;
            }
            Set<String> seen = new TreeSet<>();
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                Optional<String> to = top(d.getTargetClass().getPackageName());
                if (to.isEmpty() || to.get().equals(from.get())) {
                    continue;
                }
                used.computeIfAbsent(from.get(), k -> new TreeSet<>()).add(to.get());
                if (!ALLOWED.get(from.get()).contains(to.get()) && seen.add(d.getTargetClass().getName())) {
                    offending.add(from.get() + " -> " + to.get() + ": " + d.getDescription());
                }
            }
        }
        assertThat(offending).as("dependencies off each package's allowed list (ALLOWED)").isEmpty();
        ALLOWED.forEach((from, allowed) -> assertThat(used.getOrDefault(from, Set.of()))
                .as("what %s uses; an allowed package it no longer uses leaves ALLOWED", from)
                .containsExactlyInAnyOrderElementsOf(allowed));
    }

    /** No cycle between the top-level packages. */
    @ArchTest
    static final ArchRule noCycles = slices().matching("io.imageworker.(*)..").should().beFreeOfCycles();

    /**
     * No cycle between packages at any depth (a task's package and {@code tasks} itself,
     * {@code models.arch} and {@code models}): each package is a slice of its own.
     */
    @ArchTest
    static final ArchRule noCyclesAtAnyDepth = slices().matching("io.imageworker.(**)").should().beFreeOfCycles();

    /** The top-level package under io.imageworker ({@code tasks} for {@code io.imageworker.tasks.faces}); none for others. */
    static Optional<String> top(String pkg) {
        if (!pkg.startsWith("io.imageworker.")) {
            return Optional.empty();
        }
        String rest = pkg.substring("io.imageworker.".length());
        int dot = rest.indexOf('.');
        return Optional.of(dot < 0 ? rest : rest.substring(0, dot));
    }

    /** Leaves out the datasets module, on the tests' class path as a folder when Maven runs a goal without packaging. */
    static final class NotTheDatasets implements ImportOption {
        @Override
        public boolean includes(com.tngtech.archunit.core.importer.Location location) {
            return !location.contains("/datasets/target/") && !location.contains("image-worker-datasets");
        }
    }
}
