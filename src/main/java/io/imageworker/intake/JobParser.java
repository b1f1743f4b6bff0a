package io.imageworker.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.events.JobRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Bytes of a job event to a {@link JobRequest}, or the reason it is not one. */
public final class JobParser {

    private final ObjectMapper json;
    private final EventSchemas schemas;
    private final int maxEventBytes;

    public JobParser(ObjectMapper json, EventSchemas schemas, int maxEventBytes) {
        this.json = json;
        this.schemas = schemas;
        this.maxEventBytes = maxEventBytes;
    }

    /**
     * Parses and validates {@code value} against the job schema.
     *
     * @throws Rejection.Exception for events too large, not JSON, or not a valid job
     */
    public JobRequest parse(byte[] value) throws Rejection.Exception {
        if (value == null || value.length == 0) {
            throw reject(Rejection.NOT_JSON, "the event is empty", null);
        }
        if (value.length > maxEventBytes) {
            throw reject(Rejection.TOO_LARGE, "the event is " + value.length + " bytes, more than the limit of "
                    + maxEventBytes + "; list large inputs with inputPrefix", null);
        }
        JsonNode root;
        try {
            root = json.readTree(value);
        } catch (JsonProcessingException e) {
            throw reject(Rejection.NOT_JSON, "the event is not JSON: " + e.getOriginalMessage(), null);
        } catch (java.io.IOException e) {
            throw reject(Rejection.NOT_JSON, "the event is not JSON: " + e.getMessage(), null);
        }
        if (root == null || root.isMissingNode()) {
            throw reject(Rejection.NOT_JSON, "the event is not JSON", null);
        }
        if (!root.isObject()) {
            throw reject(Rejection.INVALID_JOB, "a job event must be a JSON object, not " + root.getNodeType()
                    .toString().toLowerCase(java.util.Locale.ROOT), null);
        }
        String jobId = root.isObject() && root.path("jobId").isTextual() ? root.get("jobId").asText() : null;
        if (jobId != null && !jobId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            jobId = null; // not usable as a key or in object keys: do not echo it
        }
        List<String> violations = schemas.violations(EventSchemas.Contract.JOB, root);
        if (!violations.isEmpty()) {
            throw reject(Rejection.INVALID_JOB, "the event is not a valid job (schemas/job.v1.schema.json): "
                    + String.join("; ", violations), jobId);
        }
        return toJob(root, jobId);
    }

    private JobRequest toJob(JsonNode root, String jobId) throws Rejection.Exception {
        List<JobRequest.Input> inputs = new ArrayList<>();
        for (JsonNode in : root.path("inputs")) {
            inputs.add(new JobRequest.Input(in.get("uri").asText(), in.hasNonNull("id") ? in.get("id").asText() : null));
        }
        Instant deadline = null;
        if (root.hasNonNull("deadline")) {
            try {
                deadline = OffsetDateTime.parse(root.get("deadline").asText()).toInstant();
            } catch (DateTimeParseException e) {
                throw reject(Rejection.INVALID_JOB, "deadline is not an RFC 3339 date-time: " + root.get("deadline").asText(),
                        jobId);
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        root.path("metadata").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        ObjectNode options = root.path("options").isObject() ? (ObjectNode) root.get("options")
                : JsonNodeFactory.instance.objectNode();
        return new JobRequest(jobId, root.get("task").asText(), List.copyOf(inputs), text(root, "inputPrefix"),
                root.path("output").hasNonNull("uri") ? root.path("output").get("uri").asText() : null,
                text(root, "model"), options, root.path("priority").asInt(0), deadline, metadata);
    }

    private static String text(JsonNode root, String field) {
        return root.hasNonNull(field) ? root.get(field).asText() : null;
    }

    private static Rejection.Exception reject(String code, String reason, String jobId) {
        return new Rejection.Exception(new Rejection(code, reason, jobId));
    }
}
