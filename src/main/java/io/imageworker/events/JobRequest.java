package io.imageworker.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job event that passed its schema (see {@code schemas/job.v1.schema.json}).
 *
 * @param jobId caller's id
 * @param task task name
 * @param inputs inputs by URI, empty when the job names a prefix or generates
 * @param inputPrefix s3:// prefix to list, or null
 * @param outputUri requested output prefix, or null for the default
 * @param model model reference {@code name[:version]}, or null for the task default
 * @param options task options (never null)
 * @param priority 0-9, higher first
 * @param deadline instant after which the job expires, or null
 * @param metadata caller key/values echoed in the result
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
        Map<String, String> metadata) {

    /** One named input. */
    public record Input(String uri, String id) {}
}
