package io.imageworker.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Object storage (S3 or any S3-compatible server). Credentials come from the AWS SDK's default chain. */
public interface StorageConfig {
    /** Endpoint of an S3-compatible server; unset for AWS S3. */
    Optional<String> endpoint();

    /** Region for request signing. */
    @WithDefault("us-east-1")
    String region();

    /** Path-style addressing (needed by most S3-compatible servers). */
    @WithDefault("false")
    boolean pathStyle();

    /** Buckets jobs may read inputs from; an input anywhere else is refused. */
    @WithDefault("images")
    List<String> inputBuckets();

    /** Where a job's artifacts go when it names no output: {@code <output-uri><jobId>/}. */
    @WithDefault("s3://results/jobs/")
    String outputUri();

    /** Prefixes a job may name as its output; the default output location is always allowed. */
    Optional<List<String>> allowedOutputPrefixes();

    /** Fetches in flight at once, across all jobs. */
    @WithDefault("16")
    int fetchConcurrency();

    /** Attempts per S3 call (the SDK retries with exponential backoff and full jitter). */
    @WithDefault("4")
    int maxAttempts();

    /** Limit on one S3 call, all its retries included, so that nothing waits forever. */
    @WithDefault("60s")
    Duration callTimeout();

    /**
     * Whether the store honours {@code If-None-Match: *} on PUT (S3 conditional writes): a job that
     * writes nothing but result.json then creates it conditionally instead of a HEAD before its
     * work. {@code auto} asks the store once at start (a probe object under the output URI).
     */
    @WithDefault("auto")
    WorkerConfig.ConditionalWrites conditionalWrites();
}
