package io.imageworker.tasks;

import io.imageworker.events.JobRequest;
import io.imageworker.inference.ServedModel;
import io.imageworker.job.PlannedInput;
import io.imageworker.storage.S3Location;
import java.util.List;

/**
 * A job ready to run: its inputs resolved and checked, its model loaded, its output location fixed.
 *
 * @param job the request
 * @param model the model serving it (null for tasks without one, and for an annotate job, whose
 *     features each have their own)
 * @param handler the task
 * @param output prefix all artifacts go under (deterministic per job: a redelivery overwrites)
 * @param inputs inputs in order
 * @param source the record that brought the job ({@code topic/partition@offset}), kept on result.json
 *     so that a redelivery can be told from a second job with the same id
 * @param features an annotate job's features, each with the task and model serving it; null otherwise
 * @param compared the other models of the job's task it runs on every item beside {@code model}
 *     ({@link TaskHandler#comparedModels}), in the order the job names them, each a different version
 *     than {@code model} and each other; empty for most jobs, never null
 * @param photoLabels for a job of the task answering {@code LABEL_DETECTION} (classify) that pins no
 *     model: the job as the {@link PhotoLabels} task sees it (its default model and options, writing no
 *     files: {@link PhotoLabels#withoutArtifacts}), run on the items the job's model abstains on; null otherwise
 *     (and for an annotate job, whose features carry their own)
 */
public record JobPlan(JobRequest job, ServedModel<?, ?> model, TaskHandler handler, S3Location output,
        List<PlannedInput> inputs, String source, FeaturePlans features, List<ServedModel<?, ?>> compared,
        JobPlan photoLabels) {

    /** Copies {@code compared} (null reads as none). */
    public JobPlan {
        compared = compared == null ? List.of() : List.copyOf(compared);
    }

    /** The plan of a job without photo labels. */
    public JobPlan(JobRequest job, ServedModel<?, ?> model, TaskHandler handler, S3Location output,
            List<PlannedInput> inputs, String source, FeaturePlans features, List<ServedModel<?, ?>> compared) {
        this(job, model, handler, output, inputs, source, features, compared, null);
    }

    /** The plan of a job that compares no models. */
    public JobPlan(JobRequest job, ServedModel<?, ?> model, TaskHandler handler, S3Location output,
            List<PlannedInput> inputs, String source, FeaturePlans features) {
        this(job, model, handler, output, inputs, source, features, List.of());
    }

    /** The plan of a job of one task. */
    public JobPlan(JobRequest job, ServedModel<?, ?> model, TaskHandler handler, S3Location output,
            List<PlannedInput> inputs, String source) {
        this(job, model, handler, output, inputs, source, null);
    }
}
