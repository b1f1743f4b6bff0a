package io.imageworker.tasks;

import ai.djl.translate.Translator;
import io.imageworker.artifacts.ReportSection;
import io.imageworker.events.ItemResult;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.models.ModelCard;
import io.imageworker.events.JobRequest;
import io.imageworker.inference.ServedModel;
import io.imageworker.job.Rejection;
import io.imageworker.job.PlannedInput;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One task (classify, segment ...): what it makes of each item, and how its models are served.
 * Tasks are plugins: each is a CDI bean of this interface in its own package under {@code tasks/},
 * and the worker serves every one it discovers; no list in the core names them.
 */
public interface TaskHandler {

    /** The task name jobs use (the job schema's {@code task}). */
    String task();

    /** False for tasks that need no model (properties). */
    default boolean usesModel() {
        return true;
    }

    /**
     * True when the task may write files of its own under a job's output prefix (per-item images,
     * files in {@link #finish}); a task that writes none says false, and its small jobs then write
     * only result.json, which they create with a conditional PUT rather than a HEAD before the work.
     */
    default boolean writesArtifacts() {
        return true;
    }

    /**
     * The model served when a job names none ({@code name} or {@code name:version}), unless
     * {@code image-worker.models.default.<task>} names another; null for tasks without a model.
     */
    default String defaultModel() {
        return null;
    }

    /**
     * The DJL translator this task serves {@code card}'s model with: one preprocessed input to one
     * output, batched by the engine's batchifier.
     *
     * @throws IllegalArgumentException for a card this task cannot serve
     */
    default Translator<?, ?> translator(ModelCard card) {
        throw new IllegalArgumentException("task " + task() + " serves no model (model " + card.id() + ")");
    }

    /**
     * A blank input of {@code card}'s model, of the type {@link #translator} takes, to warm it up with
     * (every batch size run once). The default is an image tensor of the card's input shape, zeros.
     */
    default Object sampleInput(ModelCard card) {
        ModelCard.Input in = card.input();
        return new ImageTensor(new float[in.channels() * in.height() * in.width()], in.channels(), in.height(), in.width());
    }

    /**
     * The items of a task that makes its own (generate: one per sample, no input to fetch), or null
     * for tasks whose items are the job's inputs.
     */
    default List<PlannedInput> items(JobRequest job) throws Rejection.Exception {
        return null;
    }

    /**
     * The longest side, in pixels, this task uses of an input of {@code plan}'s job; larger inputs
     * are decoded subsampled by a whole factor that keeps at least this much (see
     * {@link ItemWork#subsampling()}), saving the memory and time of pixels the model never sees.
     * 0 (the default) decodes every pixel.
     */
    default int inputSide(JobPlan plan) {
        return 0;
    }

    /** Checks the job's options against what the task and model accept, before anything runs. */
    void validate(JobRequest job, ServedModel<?, ?> model) throws Rejection.Exception;

    /**
     * Other models of this task that {@code job} asks to run on every item beside its own (segment's
     * option {@code compare}), as {@code name} or {@code name:version}, in the job's order. The planner
     * loads each as it loads the job's model (on first use), holds a use of it until the result is
     * out, {@link #validate}s the job against it, and rejects the job when one is unknown, of another
     * task, the job's own model or the same version as another; they reach the task as
     * {@link JobPlan#compared()}. The default: none.
     *
     * @throws Rejection.Exception when the option is malformed (not a list of model references,
     *     a name twice, too many)
     */
    default List<String> comparedModels(JobRequest job) throws Rejection.Exception {
        return List.of();
    }

    /**
     * Serves one item. {@code image} is the decoded input, or null for an item the task made
     * itself. Heavy work happens on the model's batcher; the future completes with the item's
     * result (its artifacts already written) or fails with its error.
     */
    CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image);

    /**
     * How this task's item fields read in {@code report.html} for the job {@code plan} (a table of
     * labels and scores, of boxes, a colour legend). The default leaves them to the generic listing.
     */
    default ReportSection reportSection(JobPlan plan) {
        return ReportSection.NONE;
    }

    /**
     * The Cloud Vision feature type this task answers in an annotate job ({@code TEXT_DETECTION},
     * {@code FACE_DETECTION} ...), or null for none. At most one task of a worker answers each type.
     */
    default String visionFeature() {
        return null;
    }

    /**
     * This task's job options for a Cloud Vision feature asking for at most {@code maxResults}
     * results (0: not said) served by {@code model} (null for tasks without one). The default sets none.
     */
    default com.fasterxml.jackson.databind.node.ObjectNode visionOptions(int maxResults, ServedModel<?, ?> model) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }

    /**
     * The fields of Cloud Vision's {@code AnnotateImageResponse} that answer {@link #visionFeature()}
     * for one succeeded item of this task ({@code item}: the item as its result JSON has it), under
     * Cloud Vision's names ({@code textAnnotations}, {@code faceAnnotations} ...).
     *
     * @throws UnsupportedOperationException for a task that answers no feature
     */
    default com.fasterxml.jackson.databind.node.ObjectNode visionAnnotation(com.fasterxml.jackson.databind.JsonNode item) {
        throw new UnsupportedOperationException("task " + task() + " answers no Cloud Vision feature");
    }

    /**
     * Job-level artifacts made once every item is done (generate's grid), by name to URI. Runs on
     * a worker thread; the default makes none.
     */
    default CompletableFuture<java.util.Map<String, String>> finish(JobPlan plan, List<ItemResult> items,
            io.imageworker.artifacts.ArtifactWriter artifacts) {
        return CompletableFuture.completedFuture(java.util.Map.of());
    }
}
