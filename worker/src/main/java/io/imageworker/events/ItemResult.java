package io.imageworker.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one item. Task-specific fields stay null when they do not apply.
 *
 * @param index position in the job's input list
 * @param uri input URI (null for generated samples)
 * @param id caller's id for the input
 * @param status succeeded or failed
 * @param error why it failed
 * @param width input width in pixels
 * @param height input height in pixels
 * @param labels classify: top-K labels
 * @param artifacts artifact name to URI
 * @param extra further task-specific results (fractions, boxes, colours ...)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemResult(
        int index,
        String uri,
        String id,
        String status,
        ItemError error,
        Integer width,
        Integer height,
        List<Label> labels,
        Map<String, String> artifacts,
        @com.fasterxml.jackson.annotation.JsonAnyGetter Map<String, Object> extra) {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    /**
     * One label with its probability (or, for photo labels, the best instance's detector score).
     *
     * @param instances for photo labels ({@code labelSet} on the item): how many objects of the class
     *     were found; null (left out) for a classifier's labels
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Label(String label, double score, Integer instances) {

        /** A classifier's label: no instance count. */
        public Label(String label, double score) {
            this(label, score, null);
        }
    }

    /**
     * A failed item: its place in the job, URI and caller id with {@code error}; no task fields.
     */
    public static ItemResult failed(int index, String uri, String id, ItemError error) {
        return new ItemResult(index, uri, id, FAILED, error, null, null, null, null, null);
    }

    /** True when {@code status} is {@value #SUCCEEDED}. */
    public boolean succeeded() {
        return SUCCEEDED.equals(status);
    }
}
