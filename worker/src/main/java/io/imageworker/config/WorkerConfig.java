package io.imageworker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the worker, under {@code image-worker.}; each can also be set from the
 * environment ({@code image-worker.limits.max-pixels} is {@code IMAGE_WORKER_LIMITS_MAX_PIXELS}).
 * Kafka connection settings (bootstrap servers, security) are the standard client properties under
 * {@code kafka.} ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code KAFKA_SASL_MECHANISM} ...). The
 * configuration reference (docs/configuration.md) is checked against this interface by a test.
 */
@ConfigMapping(prefix = "image-worker")
public interface WorkerConfig {

    /** Identity of this worker in result events and logs. */
    @WithName("id")
    Optional<String> workerId();

    /**
     * The tasks this worker serves, by name ({@code classify,text}): it loads, warms up and reports
     * ready for only their default models (and the companion models those name), and refuses, or
     * routes (see {@link #routing()}), a job of any other task. Unset: every task of the application.
     *
     * <p>A name that is no task of the application stops the start.
     */
    Optional<List<String>> tasks();

    /** Where jobs of tasks served elsewhere go: {@code image-worker.routing.*}. */
    RoutingConfig routing();

    /** Topic names: {@code image-worker.topics.*}. */
    TopicsConfig topics();

    /**
     * How result events and dead letters are delivered: {@code at-least-once} (a job's offset is
     * committed after its events are acknowledged; a crash can repeat some) or {@code exactly-once}
     * (events and offsets commit in one Kafka transaction; {@code read_committed} readers see one
     * answer per job, crashes included). Object-store writes are at-least-once either way.
     */
    @WithDefault("at-least-once")
    Delivery delivery();

    /** Kafka transactions of exactly-once delivery: {@code image-worker.transactions.*}. */
    TransactionsConfig transactions();

    /** Job consumption: {@code image-worker.consumer.*}. */
    ConsumerConfig consumer();

    /** Object storage: {@code image-worker.storage.*}. */
    StorageConfig storage();

    /** Resource limits: {@code image-worker.limits.*}. */
    LimitsConfig limits();

    /** Model repository and task defaults: {@code image-worker.models.*}. */
    ModelsConfig models();

    /** Dynamic batching: {@code image-worker.batching.*}. */
    BatchingConfig batching();

    /** Inference device: {@code image-worker.inference.*}. */
    InferenceConfig inference();

    /** Documents as inputs, one item per page: {@code image-worker.documents.*}. */
    DocumentsConfig documents();

    /** Progress events: {@code image-worker.progress.*}. */
    ProgressConfig progress();

    /** Files beside result.json: {@code image-worker.results.*}. */
    ResultsConfig results();

    /** Fault injection for tests: {@code image-worker.faults.*}. */
    FaultsConfig faults();

    /** Object-storage event notifications as jobs: {@code image-worker.notifications.*}. */
    NotificationsConfig notifications();

    /** CloudEvents attributes of the events the worker publishes: {@code image-worker.cloudevents.*}. */
    CloudEventsConfig cloudevents();

    /** Delivery guarantee of the events that answer jobs. */
    enum Delivery {
        /** Events acknowledged, then offsets committed: nothing lost, a crash may repeat answers. */
        AT_LEAST_ONCE,
        /** Events and offsets in one transaction: one answer per job for {@code read_committed} readers. */
        EXACTLY_ONCE
    }

    /** Whether the object store's conditional writes are used. */
    enum ConditionalWrites {
        /** Probed at start: a second conditional PUT of the same key must be refused with 412. */
        AUTO,
        /** The store honours them (AWS S3 since 2024, MinIO, s3proxy 4.1): no probe. */
        ON,
        /** Never used: every job checks for an earlier result.json with a HEAD before its work. */
        OFF
    }
}
