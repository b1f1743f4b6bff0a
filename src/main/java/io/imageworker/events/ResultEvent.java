package io.imageworker.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** A result event as published (see {@code schemas/result.v1.schema.json}). */
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

    /** Terminal status from item counts: all good, some bad, or none good. */
    public static String statusOf(Summary s) {
        if (s.total() > 0 && s.failed() == 0) {
            return SUCCEEDED;
        }
        return s.succeeded() > 0 ? PARTIAL : FAILED;
    }
}
