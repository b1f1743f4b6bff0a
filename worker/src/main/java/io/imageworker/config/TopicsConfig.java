package io.imageworker.config;

import io.smallrye.config.WithDefault;

/** Kafka topics the worker reads and writes. */
public interface TopicsConfig {
    /** Job events in. */
    @WithDefault("image-jobs")
    String jobs();

    /** Result events out (one terminal event per job attempt, keyed by job id). */
    @WithDefault("image-results")
    String results();

    /** Events that could not be accepted, with the original bytes and the reason in headers. */
    @WithDefault("image-jobs-dlq")
    String deadLetter();

    /** Progress events of long jobs. */
    @WithDefault("image-progress")
    String progress();
}
