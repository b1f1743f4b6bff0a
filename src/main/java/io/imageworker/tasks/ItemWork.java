package io.imageworker.tasks;

import io.imageworker.artifacts.ArtifactWriter;
import io.imageworker.inference.ServedModel;
import io.imageworker.planning.InputPlanner.PlannedInput;
import java.util.concurrent.Executor;

/**
 * What a task handler needs to serve one item.
 *
 * @param plan the job
 * @param input the item
 * @param artifacts where the item's files go
 * @param cpu where post-processing runs: a model's futures complete on its inference thread, which
 *     must go straight back to the next batch
 */
public record ItemWork(JobPlan plan, PlannedInput input, ArtifactWriter artifacts, Executor cpu) {

    /** The job's model, typed as the handler's translator made it. */
    @SuppressWarnings("unchecked")
    public <I, O> ServedModel<I, O> model() {
        return (ServedModel<I, O>) plan.model();
    }

    /**
     * The job's priority, 0-9, higher first: passed to the model's batcher, whose queue serves
     * higher priorities first.
     */
    public int priority() {
        return plan.job().priority();
    }
}
