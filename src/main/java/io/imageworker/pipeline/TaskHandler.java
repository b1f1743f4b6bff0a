package io.imageworker.pipeline;

import io.imageworker.events.ItemResult;
import io.imageworker.events.JobRequest;
import io.imageworker.intake.Rejection;
import io.imageworker.inference.ServedModel;
import java.awt.image.BufferedImage;
import java.util.concurrent.CompletableFuture;

/** One task (classify, segment ...): what it makes of each decoded input. */
public interface TaskHandler {

    /** The task name jobs use. */
    String task();

    /** Checks the job's options against what the task and model accept, before anything runs. */
    void validate(JobRequest job, ServedModel<?, ?> model) throws Rejection.Exception;

    /**
     * Serves one decoded input. Heavy work happens on the model's batcher; the returned future
     * completes with the item's result (artifacts already written) or fails with its error.
     */
    CompletableFuture<ItemResult> process(ItemWork work, BufferedImage image);
}
