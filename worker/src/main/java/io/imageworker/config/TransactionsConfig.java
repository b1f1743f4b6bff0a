package io.imageworker.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The transactional producer of {@code exactly-once} delivery. */
public interface TransactionsConfig {
    /**
     * Prefix of the producer's {@code transactional.id}, which is {@code <prefix>-<worker id>}:
     * unique per live worker, the same across one worker's restarts (so a restart fences the
     * dead instance and aborts its open transaction at once).
     */
    @WithDefault("image-worker")
    String idPrefix();

    /**
     * Broker-side limit on an open transaction ({@code transaction.timeout.ms}); a worker that died
     * inside a commit holds back {@code read_committed} readers of its partitions at most this long.
     * Transactions open only while a commit runs (milliseconds).
     */
    @WithDefault("15s")
    Duration timeout();
}
