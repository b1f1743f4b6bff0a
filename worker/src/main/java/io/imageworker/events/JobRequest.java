package io.imageworker.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job event that passed its schema (see {@code schemas/job.v1.schema.json}), or a Cloud Vision
 * {@code images:asyncBatchAnnotate} or {@code files:asyncBatchAnnotate} request read as one (see
 * {@code schemas/vision-async-batch-annotate.v1.schema.json} and
 * {@code schemas/vision-files-async-batch-annotate.v1.schema.json}).
 *
 * @param jobId caller's id
 * @param task task name ({@value #ANNOTATE} for a job that asks for Cloud Vision features)
 * @param inputs inputs by URI, empty when the job names a prefix or generates
 * @param inputPrefix s3:// prefix to list, or null
 * @param outputUri requested output prefix, or null for the default
 * @param model model reference {@code name[:version]}, or null for the task default
 * @param options task options (never null)
 * @param priority 0-9, higher first
 * @param deadline instant after which the job expires, or null
 * @param metadata caller key/values echoed in the result
 * @param features Cloud Vision features asked of every input (task {@value #ANNOTATE}), or null
 * @param visionOutput where the Cloud Vision output files go (an {@code images:asyncBatchAnnotate} request), or
 *     null (a {@code files:asyncBatchAnnotate} request has one per input: {@link Input#file()})
 */
public record JobRequest(
        String jobId,
        String task,
        List<Input> inputs,
        String inputPrefix,
        String outputUri,
        String model,
        ObjectNode options,
        int priority,
        Instant deadline,
        Map<String, String> metadata,
        List<Feature> features,
        VisionOutput visionOutput) {

    /** The task of a job that asks for several Cloud Vision features of each image. */
    public static final String ANNOTATE = "annotate";

    /** A job of one task, without Cloud Vision features. */
    public JobRequest(String jobId, String task, List<Input> inputs, String inputPrefix, String outputUri, String model,
            ObjectNode options, int priority, Instant deadline, Map<String, String> metadata) {
        this(jobId, task, inputs, inputPrefix, outputUri, model, options, priority, deadline, metadata, null, null);
    }

    /**
     * One named input.
     *
     * @param features the Cloud Vision features asked of this input (an {@code asyncBatchAnnotate}
     *     request's own {@code features}), or null for the job's
     * @param file for a {@code files:asyncBatchAnnotate} request: the document's declared type and where
     *     its pages' output files go; null for an image or an input of a job
     */
    public record Input(String uri, String id, List<Feature> features, VisionFile file) {

        /** An input that takes the job's features, if any. */
        public Input(String uri, String id) {
            this(uri, id, null, null);
        }

        /** An image input with its own features (an {@code images:asyncBatchAnnotate} request). */
        public Input(String uri, String id, List<Feature> features) {
            this(uri, id, features, null);
        }
    }

    /**
     * One request of Cloud Vision's {@code files:asyncBatchAnnotate} ({@code AsyncAnnotateFileRequest}):
     * a document read page by page, every page, each page a response.
     *
     * @param mimeType the request's {@code inputConfig.mimeType} as sent ({@code application/pdf},
     *     {@code image/tiff} or {@code image/gif}; another, or null, fails the input alone)
     * @param output the request's own {@code outputConfig}
     */
    public record VisionFile(String mimeType, VisionOutput output) {}

    /**
     * One Cloud Vision feature ({@code Feature} of the Vision API).
     *
     * @param type the feature type ({@code TEXT_DETECTION}, {@code FACE_DETECTION} ...)
     * @param maxResults the most results of this type, or 0 for the serving task's default
     * @param model {@code builtin/stable}, {@code builtin/latest} or null for the task's default
     *     model, else a model reference {@code name[:version]} of this worker
     */
    public record Feature(String type, int maxResults, String model) {}

    /**
     * Cloud Vision's {@code outputConfig}.
     *
     * @param uri the {@code gcsDestination.uri}: the s3:// prefix the {@code output-<first>-to-<last>.json} files go under
     * @param batchSize responses per output file (1-100)
     */
    public record VisionOutput(String uri, int batchSize) {}

    /** The features asked of the input at {@code index}: its own, or the job's. */
    public List<Feature> featuresOf(int index) {
        if (index >= 0 && index < inputs.size() && inputs.get(index).features() != null) {
            return inputs.get(index).features();
        }
        return features == null ? List.of() : features;
    }

    /** This job with another task, model and options (one feature of an annotate job, served by its task). */
    public JobRequest forTask(String otherTask, String otherModel, ObjectNode otherOptions) {
        return new JobRequest(jobId, otherTask, inputs, inputPrefix, outputUri, otherModel, otherOptions, priority,
                deadline, metadata, null, null);
    }
}
