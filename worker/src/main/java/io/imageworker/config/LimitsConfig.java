package io.imageworker.config;

import io.smallrye.config.WithDefault;

/** Resource limits: what one job or one object may cost. */
public interface LimitsConfig {
    /** Largest job event accepted, in bytes. */
    @WithDefault("1048576")
    int maxEventBytes();

    /**
     * Largest result event, in bytes; a larger one leaves its items out ({@code itemsOmitted})
     * and points at result.json. Keep it under the broker's {@code message.max.bytes}.
     */
    @WithDefault("262144")
    int maxResultEventBytes();

    /** Most inputs one job may name or list from a prefix. */
    @WithDefault("10000")
    int maxInputsPerJob();

    /** Largest object fetched, in bytes (checked before downloading). */
    @WithDefault("20971520")
    long maxObjectBytes();

    /** Largest image decoded, in pixels (checked from the header before decoding). */
    @WithDefault("40000000")
    long maxPixels();

    /** Jobs in flight per worker; beyond it the consumer pauses. */
    @WithDefault("64")
    int maxInFlightJobs();

    /** Items (images) in flight per worker, fetched or queued for a model; beyond it intake waits. */
    @WithDefault("512")
    int maxInFlightItems();
}
