package io.imageworker.tasks;

import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.inference.ServedModel;
import io.imageworker.job.Rejection;
import java.awt.image.BufferedImage;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One task (classify, segment ...): its name, the options it accepts, its default model, and what it
 * makes of each item. Tasks are plugins: each is a CDI bean of this interface in its own package
 * under {@code tasks/}, and the worker serves every one it discovers; no list in the core names them.
 *
 * <p>What only some tasks do is a role the handler may also implement, asked for with
 * {@code instanceof} (or {@link #role}): {@link ServesModels} (runs a model), {@link VisionAnswer}
 * (answers a Cloud Vision feature), {@link ReportsSection} (its own report section),
 * {@link Finishes} (job-level artifacts), {@link MakesItems} (items of its own),
 * {@link SubsamplesInput} (decodes large inputs subsampled), {@link ComparesModels} (other models
 * beside the job's) and {@link WritesNoArtifacts} (result.json only).
 */
public interface TaskHandler {

    /** The task name jobs use (the job schema's {@code task}). */
    String task();

    /**
     * The model served when a job names none ({@code name} or {@code name:version}), unless
     * {@code image-worker.models.default.<task>} names another; null for tasks without a model.
     */
    default String defaultModel() {
        return null;
    }

    /**
     * Checks the job's options against what the task and {@code model} accept (null for a task
     * without {@link ServesModels}), before anything runs.
     *
     * @throws Rejection.Exception naming the option and why, when the job cannot run
     */
    void validate(JobRequest job, ServedModel<?, ?> model) throws Rejection.Exception;

    /**
     * Serves one item. {@code image} is the decoded input, or null for an item the task made
     * itself. Heavy work happens on the model's batcher; the future completes with the item's
     * result (its artifacts already written) or fails with its error.
     */
    CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image);

    /** This handler as {@code role} when it implements it, else empty. */
    default <R> Optional<R> role(Class<R> role) {
        return role.isInstance(this) ? Optional.of(role.cast(this)) : Optional.empty();
    }
}
