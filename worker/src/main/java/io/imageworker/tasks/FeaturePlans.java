package io.imageworker.tasks;

import io.imageworker.events.JobRequest;
import io.imageworker.storage.S3Location;
import java.util.Map;

/**
 * The Cloud Vision features of an annotate job, each resolved before anything runs.
 *
 * @param byRequest every feature the job asks for (of any input) to how it is served
 * @param visionOutput where Cloud Vision's output files go (an {@code asyncBatchAnnotate} request,
 *     checked against the allowed output locations), or null for a job that wants none
 * @param batchSize responses per output file
 */
public record FeaturePlans(Map<JobRequest.Feature, Feature> byRequest, S3Location visionOutput, int batchSize) {

    /**
     * One feature.
     *
     * @param request the feature as asked
     * @param plan the job as the feature's task sees it (its task, model, options from the feature's
     *     {@code maxResults}, artifacts under {@code <output>/<task>/}); null when unavailable
     * @param unavailable why this worker cannot answer the feature (no task serves it), or null
     * @param photoLabels for {@code LABEL_DETECTION}: the job as the {@link PhotoLabels} task sees it,
     *     run on the items where {@code plan}'s task abstains (no options of its own: its defaults);
     *     null when no such task is served
     */
    public record Feature(JobRequest.Feature request, JobPlan plan, String unavailable, JobPlan photoLabels) {

        /** A feature without photo labels. */
        public Feature(JobRequest.Feature request, JobPlan plan, String unavailable) {
            this(request, plan, unavailable, null);
        }
    }
}
