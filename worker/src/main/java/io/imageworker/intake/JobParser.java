package io.imageworker.intake;

import io.imageworker.job.Rejection;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
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

/**
 * Bytes of a job event to a {@link JobRequest}, or the reason it is not one.
 *
 * <p>The event must be exactly one unambiguous JSON object (RFC 8259), read strictly whatever the
 * application's shared JSON settings are. Refused as {@code not-json}: bytes that are not UTF-8
 * (UTF-16/32 included), anything after the first JSON value, comments, single quotes, unquoted
 * names, trailing commas, {@code NaN}/{@code Infinity}, leading zeros, control characters in
 * strings, an unpaired UTF-16 surrogate escape, nesting deeper than {@value #MAX_DEPTH}. Refused as
 * {@code invalid-job}: a name twice in one object (at any depth: which one a reader keeps differs
 * between parsers), and everything the schema refuses.
 */
public final class JobParser {

    /** A job id usable as a record key and in object keys (the schema's pattern). */
    static final String JOB_ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

    /** Deepest nesting accepted; a job is 4 levels deep, options a few more. */
    static final int MAX_DEPTH = 64;

    /** Strict by construction, not by inheriting the application's ObjectMapper (which may be lenient). */
    private static final JsonMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(100).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_YAML_COMMENTS,
                    JsonReadFeature.ALLOW_SINGLE_QUOTES, JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES,
                    JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_MISSING_VALUES,
                    JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS,
                    JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS, JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
            .build();

    /** Last name wins: only to read the job id of an event already refused as ambiguous. */
    private static final JsonMapper LENIENT = JsonMapper.builder().build();

    private final EventSchemas schemas;
    private final VisionRequests vision;
    private final int maxEventBytes;

    /** @param maxEventBytes largest event accepted, in bytes; larger ones are refused as {@code too-large} */
    public JobParser(EventSchemas schemas, int maxEventBytes) {
        this.schemas = schemas;
        this.vision = new VisionRequests(schemas);
        this.maxEventBytes = maxEventBytes;
    }

    /** {@link #parse(byte[], byte[])} of a record without a key. */
    public JobRequest parse(byte[] value) throws Rejection.Exception {
        return parse(value, null);
    }

    /**
     * Parses and validates the job in {@code record}: its value, or the data of the CloudEvent it is
     * (binary or structured mode of the CloudEvents Kafka binding, see {@link CloudEventJobs}).
     *
     * @throws Rejection.Exception as {@link #parse(byte[], byte[])}, and {@code invalid-job} for a CloudEvent
     *     that is not valid or does not carry a JSON job
     */
    public JobRequest parse(JobEnvelope record) throws Rejection.Exception {
        return parse(CloudEventJobs.jobBytes(record, maxEventBytes), record.key());
    }

    /**
     * Parses and validates {@code value} against the job schema, or, when it is a Cloud Vision
     * {@code images:asyncBatchAnnotate} or {@code files:asyncBatchAnnotate} request body (an object with
     * {@code requests} and no {@code jobId}), against that request's schema ({@link VisionRequests});
     * such a request takes its job id from the record key.
     *
     * @param key the record key's bytes (the job id of a Cloud Vision request), or null
     * @throws Rejection.Exception for events too large, not JSON, ambiguous JSON, or not a valid job
     */
    public JobRequest parse(byte[] value, byte[] key) throws Rejection.Exception {
        JsonNode root;
        try {
            root = strictTree(value, maxEventBytes, "job", Rejection.INVALID_JOB);
        } catch (Rejection.Exception e) {
            String message = e.getMessage();
            if (Rejection.INVALID_JOB.equals(e.rejection().code()) && message.contains("ambiguous JSON")) {
                throw reject(Rejection.INVALID_JOB, message, jobIdOfAmbiguous(value, message));
            }
            throw e;
        }
        String jobId = root.isObject() && root.path("jobId").isTextual() ? root.get("jobId").asText() : null;
        if (jobId != null && !jobId.matches(JOB_ID)) {
            jobId = null; // not usable as a key or in object keys: do not echo it
        }
        String surrogate = unpairedSurrogate(root);
        if (surrogate != null) {
            throw reject(Rejection.NOT_JSON, "the event holds an unpaired UTF-16 surrogate escape in " + surrogate
                    + ": not Unicode text, it cannot be written back as UTF-8", jobId);
        }
        if (VisionRequests.isVisionBody(root)) {
            return vision.read(root, key);
        }
        List<String> violations = schemas.violations(EventSchemas.Contract.JOB, root);
        if (!violations.isEmpty()) {
            throw reject(Rejection.INVALID_JOB, "the event is not a valid job (schemas/job.v1.schema.json): "
                    + String.join("; ", violations), jobId);
        }
        return toJob(root, jobId);
    }

    /**
     * Reads {@code value} as exactly one strict, unambiguous JSON object (the rules in the class
     * comment) but for lone surrogate escapes ({@link #unpairedSurrogate(JsonNode)}), for any event
     * the worker reads.
     *
     * @param maxBytes largest event accepted, in bytes
     * @param what what the event should be, for the messages ({@code job}, {@code notification})
     * @param invalidCode the rejection code of a JSON value that is not an object, or of a name twice in one object
     * @throws Rejection.Exception {@code too-large}, {@code not-json}, or {@code invalidCode}
     */
    static JsonNode strictTree(byte[] value, int maxBytes, String what, String invalidCode) throws Rejection.Exception {
        if (value == null || value.length == 0) {
            throw reject(Rejection.NOT_JSON, "the event is empty", null);
        }
        if (value.length > maxBytes) {
            throw reject(Rejection.TOO_LARGE, "the event is " + value.length + " bytes, more than the limit of "
                    + maxBytes + (what.equals("job") ? "; list large inputs with inputPrefix" : ""), null);
        }
        String notUtf8 = notUtf8(value);
        if (notUtf8 != null) {
            throw reject(Rejection.NOT_JSON, "the event is not UTF-8 JSON: " + notUtf8, null);
        }
        JsonNode root;
        try {
            root = STRICT.readTree(value);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Duplicate field")) {
                // Which of two values a reader keeps differs between parsers: refuse rather than guess.
                throw reject(invalidCode, "the event is ambiguous JSON: " + message
                        + " (each name may appear once per object)", null);
            }
            if (message != null && message.startsWith("Trailing token")) {
                throw reject(Rejection.NOT_JSON, "the event is not one JSON value: content follows the first one ("
                        + message + ")", null);
            }
            throw reject(Rejection.NOT_JSON, "the event is not JSON: " + message, null);
        } catch (java.io.IOException e) {
            throw reject(Rejection.NOT_JSON, "the event is not JSON: " + e.getMessage(), null);
        }
        if (root == null || root.isMissingNode()) {
            throw reject(Rejection.NOT_JSON, "the event is not JSON", null);
        }
        if (!root.isObject()) {
            throw reject(invalidCode, "a " + what + " event must be a JSON object, not " + root.getNodeType()
                    .toString().toLowerCase(java.util.Locale.ROOT), null);
        }
        return root;
    }

    private JobRequest toJob(JsonNode root, String jobId) throws Rejection.Exception {
        List<JobRequest.Input> inputs = new ArrayList<>();
        for (JsonNode in : root.path("inputs")) {
            inputs.add(new JobRequest.Input(in.get("uri").asText(), in.hasNonNull("id") ? in.get("id").asText() : null));
        }
        List<JobRequest.Feature> features = root.has("features") ? VisionRequests.features(root.get("features"), jobId, "") : null;
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
        String task = root.hasNonNull("task") ? root.get("task").asText() : JobRequest.ANNOTATE;
        return new JobRequest(jobId, task, List.copyOf(inputs), text(root, "inputPrefix"),
                root.path("output").hasNonNull("uri") ? root.path("output").get("uri").asText() : null,
                text(root, "model"), options, root.path("priority").asInt(0), deadline, metadata, features, null);
    }

    private static String text(JsonNode root, String field) {
        return root.hasNonNull(field) ? root.get(field).asText() : null;
    }

    /**
     * The job id of an event refused for a duplicate name, read leniently so the submitter can be
     * told on the results topic; null when {@code jobId} is itself the name given twice.
     */
    private static String jobIdOfAmbiguous(byte[] value, String message) {
        if (message.contains("'jobId'")) {
            return null;
        }
        try {
            JsonNode lenient = LENIENT.readTree(value);
            String id = lenient != null && lenient.path("jobId").isTextual() ? lenient.get("jobId").asText() : null;
            return id != null && id.matches(JOB_ID) ? id : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** Why {@code b} is not UTF-8 JSON text, or null when it is. */
    static String notUtf8(byte[] b) {
        // JSON text has no raw NUL byte (control characters in strings are escaped): one means UTF-16 or UTF-32.
        for (byte x : b) {
            if (x == 0) {
                return "it holds NUL bytes (UTF-16 or UTF-32?)";
            }
        }
        if (RecordHeaders.utf8(b) == null) {
            return "it holds byte sequences that are not UTF-8";
        }
        return null;
    }

    /** The JSON pointer of the first name or string holding a lone surrogate, or null. */
    static String unpairedSurrogate(JsonNode node) {
        return unpairedSurrogate(node, "");
    }

    private static String unpairedSurrogate(JsonNode node, String at) {
        if (node.isTextual()) {
            return wellFormed(node.textValue()) ? null : (at.isEmpty() ? "/" : at);
        }
        if (node.isObject()) {
            for (var it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                String path = at + "/" + e.getKey();
                if (!wellFormed(e.getKey())) {
                    return path;
                }
                String found = unpairedSurrogate(e.getValue(), path);
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = unpairedSurrogate(node.get(i), at + "/" + i);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static Rejection.Exception reject(String code, String reason, String jobId) {
        return Rejection.exception(code, reason, jobId);
    }
}
