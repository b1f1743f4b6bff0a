package io.imageworker.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.imageworker.events.EventSchemas;
import io.imageworker.events.JobRequest;
import io.imageworker.job.Rejection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Cloud Vision request bodies as jobs of task {@value JobRequest#ANNOTATE}: an
 * {@code images:asyncBatchAnnotate} body ({@code AsyncBatchAnnotateImagesRequest}: one image per
 * request, one {@code outputConfig} for the body) or a {@code files:asyncBatchAnnotate} body
 * ({@code AsyncBatchAnnotateFilesRequest}: one document per request, each with its own
 * {@code outputConfig}, every page read). Each is read the proto3 way ({@link VisionProto3}), then
 * held against its schema; the job id is the record key.
 */
final class VisionRequests {

    private static final Logger LOG = Logger.getLogger(VisionRequests.class);

    /** Why a {@code gs://} location is refused, the same words for images, documents and output. */
    static final String GS_REFUSED = "gs:// objects are not read or written: this worker uses s3:// locations"
            + " of its S3-compatible store (copy the object there and name it s3://bucket/key)";

    /** Cloud Vision's default {@code outputConfig.batchSize}. */
    static final int BATCH_SIZE = 20;

    /** A request field Cloud Vision's async file request does not have, found by the proto3 reading. */
    private static final Pattern PAGES = Pattern.compile("/requests/\\d+/pages");

    private final EventSchemas schemas;

    VisionRequests(EventSchemas schemas) {
        this.schemas = schemas;
    }

    /** Whether {@code root} is a Cloud Vision body rather than a job: it has {@code requests} and no {@code jobId}. */
    static boolean isVisionBody(JsonNode root) {
        return root.has("requests") && !root.has("jobId");
    }

    /**
     * The job of a Cloud Vision body whose record key is {@code key}.
     *
     * @throws Rejection.Exception {@code invalid-job} for a key that is no job id, a body its schema
     *     refuses, {@code gs://} locations, inline bytes, a feature asked twice in one request
     */
    JobRequest read(JsonNode root, byte[] key) throws Rejection.Exception {
        boolean files = VisionProto3.filesRequest(root);
        String method = files ? "files:asyncBatchAnnotate" : "asyncBatchAnnotate";
        String jobId = key == null ? null : RecordHeaders.utf8(key);
        if (jobId == null || !jobId.matches(JobParser.JOB_ID)) {
            throw JobParser.reject(Rejection.INVALID_JOB, "a Cloud Vision " + method + " request takes its job id from the"
                    + " record key, which must be 1-128 letters, digits, '.', '_' or '-' starting with a letter or digit"
                    + (jobId == null ? " (the record has none)" : ""), null);
        }
        VisionProto3.Result read = files ? VisionProto3.readFiles(root, jobId) : VisionProto3.read(root, jobId);
        JsonNode body = read.body();
        if (files) {
            for (String field : read.ignored()) {
                if (PAGES.matcher(field).matches()) {
                    throw JobParser.reject(Rejection.INVALID_JOB, field.substring(1) + ": files:asyncBatchAnnotate reads every"
                            + " page of a document, as Cloud Vision's does (pages belongs to the synchronous files:annotate);"
                            + " remove it, or split the document", jobId);
                }
            }
        }
        if (!read.ignored().isEmpty()) {
            LOG.infof("job %s: Cloud Vision request fields this worker does not know were ignored: %s", jobId,
                    String.join(", ", read.ignored()));
        }
        EventSchemas.Contract contract;
        if (files) {
            refuseUnreadFiles(body, jobId);
            contract = EventSchemas.Contract.VISION_FILES_ASYNC_BATCH;
        } else {
            refuseUnreadImages(body, jobId);
            contract = EventSchemas.Contract.VISION_ASYNC_BATCH;
        }
        List<String> violations = schemas.violations(contract, body);
        if (!violations.isEmpty()) {
            throw JobParser.reject(Rejection.INVALID_JOB, "the event is not a valid Cloud Vision " + method + " request"
                    + " (schemas/" + contract.file + "): " + String.join("; ", violations), jobId);
        }
        List<JobRequest.Input> inputs = new ArrayList<>();
        for (JsonNode request : body.get("requests")) {
            List<JobRequest.Feature> features = features(request.get("features"), jobId, "requests/" + inputs.size());
            if (files) {
                JsonNode in = request.get("inputConfig");
                String mimeType = in.hasNonNull("mimeType") ? in.get("mimeType").asText() : null;
                inputs.add(new JobRequest.Input(in.get("gcsSource").get("uri").asText(), null, features,
                        new JobRequest.VisionFile(mimeType, output(request.get("outputConfig")))));
            } else {
                inputs.add(new JobRequest.Input(request.path("image").path("source").get("imageUri").asText(), null,
                        features));
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        body.path("labels").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        return new JobRequest(jobId, JobRequest.ANNOTATE, List.copyOf(inputs), null, null, null,
                JsonNodeFactory.instance.objectNode(), 0, null, metadata, null, files ? null : output(body.get("outputConfig")));
    }

    private static JobRequest.VisionOutput output(JsonNode out) {
        return new JobRequest.VisionOutput(out.get("gcsDestination").get("uri").asText(), out.path("batchSize").asInt(BATCH_SIZE));
    }

    /**
     * Images Cloud Vision could read but this worker does not: inline bytes and {@code gs://} objects,
     * refused by name rather than by the schema's pattern.
     */
    private static void refuseUnreadImages(JsonNode root, String jobId) throws Rejection.Exception {
        JsonNode requests = root.path("requests");
        for (int i = 0; i < requests.size(); i++) {
            JsonNode image = requests.get(i).path("image");
            String where = "requests/" + i + "/image";
            if (image.has("content")) {
                throw JobParser.reject(Rejection.INVALID_JOB, where + "/content: inline image bytes are not read; put the"
                        + " image in an allowed input bucket and name it in image.source.imageUri (s3://bucket/key)", jobId);
            }
            JsonNode source = image.path("source");
            if (source.has("gcsImageUri") || source.path("imageUri").asText("").startsWith("gs://")) {
                throw JobParser.reject(Rejection.INVALID_JOB, where + "/source: " + GS_REFUSED, jobId);
            }
        }
        refuseGs(root.path("outputConfig"), "outputConfig", jobId);
    }

    /** Documents the worker does not read: {@code gs://} sources and output, inline bytes. */
    private static void refuseUnreadFiles(JsonNode root, String jobId) throws Rejection.Exception {
        JsonNode requests = root.path("requests");
        for (int i = 0; i < requests.size(); i++) {
            JsonNode in = requests.get(i).path("inputConfig");
            String where = "requests/" + i + "/inputConfig";
            if (in.has("content")) {
                // Cloud Vision reads inputConfig.content only in the synchronous files:annotate
                throw JobParser.reject(Rejection.INVALID_JOB, where + "/content: inline file bytes are not read by"
                        + " files:asyncBatchAnnotate (nor by Cloud Vision's); put the document in an allowed input bucket"
                        + " and name it in inputConfig.gcsSource.uri (s3://bucket/key)", jobId);
            }
            if (in.path("gcsSource").path("uri").asText("").startsWith("gs://")) {
                throw JobParser.reject(Rejection.INVALID_JOB, where + "/gcsSource/uri: " + GS_REFUSED, jobId);
            }
            refuseGs(requests.get(i).path("outputConfig"), "requests/" + i + "/outputConfig", jobId);
        }
    }

    private static void refuseGs(JsonNode outputConfig, String where, String jobId) throws Rejection.Exception {
        if (outputConfig.path("gcsDestination").path("uri").asText("").startsWith("gs://")) {
            throw JobParser.reject(Rejection.INVALID_JOB, where + "/gcsDestination/uri: " + GS_REFUSED, jobId);
        }
    }

    /** A features list that passed the schema; a type asked twice is refused (which maxResults would hold?). */
    static List<JobRequest.Feature> features(JsonNode list, String jobId, String where) throws Rejection.Exception {
        List<JobRequest.Feature> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode f : list) {
            String type = f.get("type").asText();
            if (!seen.add(type)) {
                throw JobParser.reject(Rejection.INVALID_JOB, where + "/features asks for " + type
                        + " twice; ask for each feature once", jobId);
            }
            out.add(new JobRequest.Feature(type, f.path("maxResults").asInt(0), f.hasNonNull("model") ? f.get("model").asText() : null));
        }
        return List.copyOf(out);
    }
}
