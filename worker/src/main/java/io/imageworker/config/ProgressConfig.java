package io.imageworker.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Progress events for long jobs. */
public interface ProgressConfig {
    /** Least time between two progress events of one job. */
    @WithDefault("2s")
    Duration interval();

    /** Jobs with fewer items than this publish no progress events. */
    @WithDefault("100")
    int minItems();

    /**
     * Jobs whose documents (PDF, TIFF, GIF pages) opened so far have at least this many pages between
     * them publish progress events, with the pages done, whatever their item count.
     */
    @WithDefault("10")
    int minPages();
}
