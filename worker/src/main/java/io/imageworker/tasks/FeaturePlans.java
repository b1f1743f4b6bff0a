package io.imageworker.tasks;

import io.imageworker.events.JobRequest;
import io.imageworker.storage.S3Location;
import java.util.List;
import java.util.Map;

/**
 * The Cloud Vision features of an annotate job, each resolved before anything runs.
 *
 * @param byRequest every feature the job asks for (of any input) to how it is served
 * @param visionOutput where Cloud Vision's output files go (an {@code images:asyncBatchAnnotate} request,
 *     checked against the allowed output locations), or null for a job that wants none
 * @param batchSize responses per output file
 * @param files a {@code files:asyncBatchAnnotate} request's documents, one per input in input order, each
 *     with its own output; empty for other jobs, never null
 */
public record FeaturePlans(Map<JobRequest.Feature, Feature> byRequest, S3Location visionOutput, int batchSize,
        List<FileOutput> files) {

    /** Copies {@code files} (null reads as none). */
    public FeaturePlans {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** The features of a job that reads no documents. */
    public FeaturePlans(Map<JobRequest.Feature, Feature> byRequest, S3Location visionOutput, int batchSize) {
        this(byRequest, visionOutput, batchSize, List.of());
    }

    /**
     * One document of a {@code files:asyncBatchAnnotate} request and its own {@code outputConfig}.
     *
     * @param uri the document, the request's {@code inputConfig.gcsSource.uri}
     * @param mimeType the request's {@code inputConfig.mimeType}, or null when it named none
     * @param destination where its {@code output-<first>-to-<last>.json} files go (checked against the
     *     allowed output locations)
     * @param batchSize page responses per output file (1-100)
     */
    public record FileOutput(String uri, String mimeType, S3Location destination, int batchSize) {}

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
