package io.imageworker.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the worker consumes {@code image-jobs}. */
public interface ConsumerConfig {
    /** Consumer group: workers in one group share the partitions. */
    @WithDefault("image-worker")
    String groupId();

    /**
     * Times a job may be attempted before it goes to the dead-letter topic ({@code attempts-exhausted}).
     * Counts starts that took the worker down (a crash, an out-of-memory kill: after a crash the
     * jobs that were in flight run again one at a time) and, separately, handling that failed
     * with an error (a bug, an event the code chokes on), retried with backoff from 0.5 s. A
     * broker that cannot take the result for a while is not counted: the job waits for it.
     */
    @WithDefault("3")
    int maxAttempts();

    /** Interval between commits of the offsets of finished jobs. */
    @WithDefault("1s")
    Duration commitInterval();

    /**
     * On shutdown or partition revocation, how long to let jobs in flight finish before handing
     * them back uncommitted (they are then redelivered).
     */
    @WithDefault("20s")
    Duration shutdownGrace();
}
