package io.imageworker.tasks;

import io.imageworker.events.JobRequest;
import io.imageworker.job.Rejection;
import java.util.List;

/**
 * Role of a task whose jobs may run other models of the task beside their own on every item
 * (segment's option {@code compare}).
 */
public interface ComparesModels extends TaskHandler {

    /**
     * The other models {@code job} asks to run, as {@code name} or {@code name:version}, in the
     * job's order; empty for none. The planner loads each as it loads the job's model (on first use),
     * holds a use of it until the result is out, {@link #validate}s the job against it, and rejects
     * the job when one is unknown, of another task, the job's own model or the same version as
     * another; they reach the task as {@link JobPlan#compared()}.
     *
     * @throws Rejection.Exception when the option is malformed (not a list of model references,
     *     a name twice, too many)
     */
    List<String> comparedModels(JobRequest job) throws Rejection.Exception;
}
