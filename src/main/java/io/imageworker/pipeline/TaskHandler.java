package io.imageworker.pipeline;

import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.inference.ServedModel;
import io.imageworker.intake.Rejection;
import io.imageworker.planning.InputPlanner.PlannedInput;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One task (classify, segment ...): what it makes of each item. Tasks are pluggable: add one and register it. */
public interface TaskHandler {

    /** The task name jobs use. */
    String task();

    /** False for tasks that need no model (properties). */
    default boolean usesModel() {
        return true;
    }

    /**
     * The items of a task that makes its own (generate: one per sample, no input to fetch), or null
     * for tasks whose items are the job's inputs.
     */
    default List<PlannedInput> items(JobRequest job) throws Rejection.Exception {
        return null;
    }

    /** Checks the job's options against what the task and model accept, before anything runs. */
    void validate(JobRequest job, ServedModel<?, ?> model) throws Rejection.Exception;

    /**
     * Serves one item. {@code image} is the decoded input, or null for an item the task made
     * itself. Heavy work happens on the model's batcher; the future completes with the item's
     * result (its artifacts already written) or fails with its error.
     */
    CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image);

    /**
     * Job-level artifacts made once every item is done (generate's grid), by name to URI. Runs on
     * a worker thread; the default makes none.
     */
    default CompletableFuture<java.util.Map<String, String>> finish(JobPlan plan, List<ItemResult> items,
            io.imageworker.artifacts.ArtifactWriter artifacts) {
        return CompletableFuture.completedFuture(java.util.Map.of());
    }
}
