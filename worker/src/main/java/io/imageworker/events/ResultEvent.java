package io.imageworker.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A result event as published (see {@code schemas/result.v1.schema.json}). Build one with
 * {@link #builder(String)} or derive one with {@link #toBuilder()}: the fields are many and mostly
 * optional, so no code calls the canonical constructor by position.
 *
 * @param schema the result schema's id ({@link EventSchemas#RESULT_ID})
 * @param jobId the job's id, also the record key
 * @param status succeeded, partial, failed, rejected or expired
 * @param task the job's task (null when the event was not readable)
 * @param model the model that served the job
 * @param summary item counts
 * @param items per-item outcomes (null when omitted for size, see {@code itemsOmitted})
 * @param itemsOmitted true when the items are only in {@code resultUri}
 * @param resultUri where result.json was written
 * @param outputUri the job's output prefix
 * @param artifacts job-level artifact name to URI
 * @param error why the job failed or was rejected
 * @param workerId the worker that served it
 * @param attempt delivery number of the job's record (1 for the first)
 * @param receivedAt RFC 3339 time the worker picked the job up
 * @param finishedAt RFC 3339 time the result was made
 * @param timings stage name to milliseconds
 * @param metadata the job's metadata, echoed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultEvent(
        String schema,
        String jobId,
        String status,
        String task,
        ModelRef model,
        Summary summary,
        List<ItemResult> items,
        Boolean itemsOmitted,
        String resultUri,
        String outputUri,
        Map<String, String> artifacts,
        ItemError error,
        String workerId,
        Integer attempt,
        String receivedAt,
        String finishedAt,
        Map<String, Long> timings,
        Map<String, String> metadata) {

    public static final String SUCCEEDED = "succeeded";
    public static final String PARTIAL = "partial";
    public static final String FAILED = "failed";
    public static final String REJECTED = "rejected";
    public static final String EXPIRED = "expired";

    /** Model name and version. */
    public record ModelRef(String name, String version) {}

    /** Item counts. */
    public record Summary(int total, int succeeded, int failed) {}

    /** A builder of the event of job {@code jobId}, with the schema id set. */
    public static Builder builder(String jobId) {
        return new Builder().schema(EventSchemas.RESULT_ID).jobId(jobId);
    }

    /** A builder holding every field of this event, to derive another from it. */
    public Builder toBuilder() {
        return new Builder().schema(schema).jobId(jobId).status(status).task(task).model(model).summary(summary)
                .items(items).itemsOmitted(itemsOmitted).resultUri(resultUri).outputUri(outputUri).artifacts(artifacts)
                .error(error).workerId(workerId).attempt(attempt).receivedAt(receivedAt).finishedAt(finishedAt)
                .timings(timings).metadata(metadata);
    }

    /** Sets the fields of a {@link ResultEvent} by name; unset ones stay null (and absent from the JSON). */
    public static final class Builder {
        private String schema;
        private String jobId;
        private String status;
        private String task;
        private ModelRef model;
        private Summary summary;
        private List<ItemResult> items;
        private Boolean itemsOmitted;
        private String resultUri;
        private String outputUri;
        private Map<String, String> artifacts;
        private ItemError error;
        private String workerId;
        private Integer attempt;
        private String receivedAt;
        private String finishedAt;
        private Map<String, Long> timings;
        private Map<String, String> metadata;

        private Builder() {}

        public Builder schema(String v) { schema = v; return this; }
        public Builder jobId(String v) { jobId = v; return this; }
        public Builder status(String v) { status = v; return this; }
        public Builder task(String v) { task = v; return this; }
        public Builder model(ModelRef v) { model = v; return this; }
        public Builder summary(Summary v) { summary = v; return this; }
        public Builder items(List<ItemResult> v) { items = v; return this; }
        public Builder itemsOmitted(Boolean v) { itemsOmitted = v; return this; }
        public Builder resultUri(String v) { resultUri = v; return this; }
        public Builder outputUri(String v) { outputUri = v; return this; }
        public Builder artifacts(Map<String, String> v) { artifacts = v; return this; }
        public Builder error(ItemError v) { error = v; return this; }
        public Builder workerId(String v) { workerId = v; return this; }
        public Builder attempt(Integer v) { attempt = v; return this; }
        public Builder receivedAt(String v) { receivedAt = v; return this; }
        public Builder finishedAt(String v) { finishedAt = v; return this; }
        public Builder timings(Map<String, Long> v) { timings = v; return this; }
        public Builder metadata(Map<String, String> v) { metadata = v; return this; }

        /** The event; the schema validates it when it is published in tests. */
        public ResultEvent build() {
            return new ResultEvent(schema, jobId, status, task, model, summary, items, itemsOmitted, resultUri, outputUri,
                    artifacts, error, workerId, attempt, receivedAt, finishedAt, timings, metadata);
        }
    }

    /** Terminal status from item counts: all good, some bad, or none good. */
    public static String statusOf(Summary s) {
        if (s.total() > 0 && s.failed() == 0) {
            return SUCCEEDED;
        }
        return s.succeeded() > 0 ? PARTIAL : FAILED;
    }
}
