package io.imageworker.tasks;

import io.imageworker.events.JobRequest;
import io.imageworker.job.Rejection;
import io.imageworker.job.PlannedInput;
import java.util.List;

/**
 * Role of a task that makes its own items (generate: one per sample, no input to fetch); the items
 * of a task without it are the job's inputs.
 */
public interface MakesItems extends TaskHandler {

    /**
     * The items of {@code job}, in order.
     *
     * @throws Rejection.Exception when the job's options cannot make items
     */
    List<PlannedInput> items(JobRequest job) throws Rejection.Exception;
}
