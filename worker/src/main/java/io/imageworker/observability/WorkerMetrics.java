package io.imageworker.observability;

import io.imageworker.batching.BatchObserver;
import io.imageworker.inference.ModelServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's Prometheus metrics (names in docs/operations.md). Batch metrics follow Triton: the ratio of
 * {@code image_worker_inference_items_total} to {@code image_worker_batches_total} is the average
 * batch size.
 */
public final class WorkerMetrics implements BatchObserver, ModelServer.LoadObserver, ModelServer.UpdateObserver {

    private static final Logger LOG = Logger.getLogger(WorkerMetrics.class);

    private final Map<String, Long> footprints = new ConcurrentHashMap<>();

    /** Native bytes each warmed-up model's warm-up left held, by model id (see {@link #warmedUp}). */
    public Map<String, Long> nativeFootprints() {
        return Map.copyOf(footprints);
    }

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> queueDepths = new ConcurrentHashMap<>();
    private final Map<String, io.micrometer.core.instrument.Gauge> serving = new ConcurrentHashMap<>();
    // Meters recorded per item or per batch, looked up once: a builder's register() builds an id, its
    // tags and a registry lookup on every call, which showed among the classify worker's hot methods.
    private final Map<List<String>, Counter> items = new ConcurrentHashMap<>();
    private final Map<String, BatchMeters> batches = new ConcurrentHashMap<>();
    private volatile Timer fetchDuration;
    private volatile DistributionSummary fetchBytes;

    /** The meters of one model's batches. */
    private record BatchMeters(Counter ok, Counter failed, Counter items, DistributionSummary size, Timer queueDelay,
            Timer inference) {}

    /**
     * @param registry where every meter is registered (Quarkus's Prometheus registry in the worker)
     */
    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The registry the meters are registered in. */
    public MeterRegistry registry() {
        return registry;
    }

    /** A job ended with {@code status}. */
    public void job(String task, String status) {
        Counter.builder("image_worker_jobs").description("Jobs by terminal status")
                .tag("task", task == null ? "unknown" : task).tag("status", status).register(registry).increment();
    }

    /** An item ended; {@code code} is the error code or "none". */
    public void item(String task, String status, String code) {
        List<String> tags = List.of(task == null ? "unknown" : task, status == null ? "unknown" : status,
                code == null ? "none" : code);
        items.computeIfAbsent(tags, t -> Counter.builder("image_worker_items").description("Items by status and error code")
                .tag("task", t.get(0)).tag("status", t.get(1)).tag("error", t.get(2)).register(registry)).increment();
    }

    /** An event went to the dead-letter topic. */
    public void deadLetter(String code) {
        Counter.builder("image_worker_dead_letters").description("Events sent to the dead-letter topic by reason")
                .tag("reason", code).register(registry).increment();
    }

    /**
     * One HTTP request to object storage (each retry counts): {@code image_worker_storage_requests_total}
     * by operation ({@code GetObject}, {@code PutObject}, {@code HeadObject}, {@code ListObjectsV2}, ...).
     */
    public void storageRequest(String operation) {
        Counter.builder("image_worker_storage_requests").description("Requests sent to object storage by operation")
                .tag("operation", operation).register(registry).increment();
    }

    /** A job of {@code task} forwarded to {@code pool}'s topic: {@code image_worker_jobs_routed_total}. */
    public void routed(String task, String pool) {
        Counter.builder("image_worker_jobs_routed").description("Jobs forwarded to the pool that serves their task")
                .tag("task", task).tag("pool", pool).register(registry).increment();
    }

    /** A record of an S3 event notification became a job of {@code task}. */
    public void notificationJob(String task) {
        Counter.builder("image_worker_notification_jobs").description("Jobs made from S3 event notifications")
                .tag("task", task == null ? "unknown" : task).register(registry).increment();
    }

    /**
     * A record of an S3 event notification was skipped for {@code reason} (deletion, other-event,
     * no-rule, not-an-image, too-large, duplicate, test-event).
     */
    public void notificationSkipped(String reason) {
        Counter.builder("image_worker_notifications_skipped").description("S3 notification records that became no job, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    /**
     * One object fetched from storage: records {@code image_worker_fetch_duration} and
     * {@code image_worker_fetch_bytes}.
     *
     * @param bytes size of the object read, in bytes
     * @param nanos time the read took, in nanoseconds
     */
    public void fetch(long bytes, long nanos) {
        Timer duration = fetchDuration;
        DistributionSummary size = fetchBytes;
        if (duration == null || size == null) { // registering twice returns the same meters: a race is harmless
            fetchDuration = duration = Timer.builder("image_worker_fetch_duration").description("Object fetch duration")
                    .publishPercentileHistogram().register(registry);
            fetchBytes = size = DistributionSummary.builder("image_worker_fetch_bytes").description("Fetched object sizes")
                    .baseUnit("bytes").register(registry);
        }
        duration.record(nanos, TimeUnit.NANOSECONDS);
        size.record(bytes);
    }

    @Override
    public void batch(String model, int size, long queueNanos, long computeNanos, boolean failed) {
        BatchMeters m = batches.computeIfAbsent(model, name -> new BatchMeters(
                batchCounter(name, "ok"), batchCounter(name, "failed"),
                Counter.builder("image_worker_inference_items").description("Items sent through models").tag("model", name)
                        .register(registry),
                DistributionSummary.builder("image_worker_batch_size").description("Items per model call").tag("model", name)
                        .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256).register(registry),
                Timer.builder("image_worker_queue_delay").description("Time the oldest item of a batch waited")
                        .tag("model", name).publishPercentileHistogram().register(registry),
                Timer.builder("image_worker_inference_duration").description("Model call duration per batch")
                        .tag("model", name).publishPercentileHistogram().register(registry)));
        (failed ? m.failed() : m.ok()).increment();
        m.items().increment(size);
        m.size().record(size);
        m.queueDelay().record(queueNanos, TimeUnit.NANOSECONDS);
        m.inference().record(computeNanos, TimeUnit.NANOSECONDS);
    }

    private Counter batchCounter(String model, String outcome) {
        return Counter.builder("image_worker_batches").description("Model calls (batches)").tag("model", model)
                .tag("outcome", outcome).register(registry);
    }

    private static final String ELEMENTS = "Input elements of model calls: the items' own (real) and the calls'"
            + " (called: batch size times the largest item); called / real is the padding cost";

    @Override
    public void elements(String model, long real, long called) {
        Counter.builder("image_worker_batch_input_elements").description(ELEMENTS)
                .tag("model", model).tag("kind", "real").register(registry).increment(real);
        Counter.builder("image_worker_batch_input_elements").description(ELEMENTS)
                .tag("model", model).tag("kind", "called").register(registry).increment(called);
    }

    @Override
    public void queueDepth(String model, int depth) {
        queueDepths.computeIfAbsent(model, m -> {
            AtomicInteger g = new AtomicInteger();
            registry.gauge("image_worker_queue_depth", io.micrometer.core.instrument.Tags.of("model", m), g);
            return g;
        }).set(depth);
    }

    /**
     * The warm-up's choice for {@code model}: gauges {@code image_worker_model_batch_size},
     * {@code image_worker_model_inference_threads} and {@code image_worker_model_measured_items_per_second}.
     */
    @Override
    public void tuned(String model, io.imageworker.batching.DynamicBatcher.Choice choice) {
        io.micrometer.core.instrument.Tags tags = io.micrometer.core.instrument.Tags.of("model", model);
        // A version loaded again (a pinned one after its replacement closed) measures again: drop the old gauges,
        // which Micrometer would otherwise keep, ignoring the new registration.
        for (String name : List.of("image_worker_model_batch_size", "image_worker_model_inference_threads",
                "image_worker_model_measured_items_per_second")) {
            registry.find(name).tags(tags).gauges().forEach(registry::remove);
        }
        // Strong references: the choice is held by nothing else, and a weak gauge would read NaN once collected.
        io.micrometer.core.instrument.Gauge.builder("image_worker_model_batch_size", choice, c -> c.batchSize())
                .description("Batch size the warm-up kept").tags(tags).strongReference(true).register(registry);
        io.micrometer.core.instrument.Gauge.builder("image_worker_model_inference_threads", choice, c -> c.threads())
                .description("Inference threads the warm-up kept").tags(tags).strongReference(true).register(registry);
        io.micrometer.core.instrument.Gauge.builder("image_worker_model_measured_items_per_second", choice,
                c -> c.itemsPerSecond()).description("Items per second the warm-up measured at its choice").tags(tags)
                .strongReference(true).register(registry);
    }

    /**
     * A model's warm-up ended: gauge {@code image_worker_model_native_bytes}, the native memory the
     * process held more after its warm-up than before (its share of the worker's footprint beyond
     * its weights), and a log line with it.
     */
    @Override
    public void warmedUp(String model, int batchSize, long nativeBytes) {
        if (nativeBytes >= 0) {
            footprints.put(model, nativeBytes);
        }
        io.micrometer.core.instrument.Tags tags = io.micrometer.core.instrument.Tags.of("model", model);
        registry.find("image_worker_model_native_bytes").tags(tags).gauges().forEach(registry::remove);
        double value = nativeBytes < 0 ? Double.NaN : nativeBytes;
        io.micrometer.core.instrument.Gauge.builder("image_worker_model_native_bytes", () -> value)
                .description("Native memory the model's warm-up left held (engine arrays, pools, caches), bytes")
                .baseUnit("bytes").tags(tags).strongReference(true).register(registry);
        LOG.infof("%s warm: batch size up to %d, native memory %s", model, batchSize,
                nativeBytes < 0 ? "unknown" : (nativeBytes >> 20) + " MiB");
    }

    @Override
    public void loaded(String model, long nanos) {
        Timer.builder("image_worker_model_load_duration").description("Model load time").tag("model", model)
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * {@code image_worker_model_serving{model, version}} is 1 while that version takes new jobs; the
     * series goes away when a newer version replaces it.
     */
    @Override
    public void serving(String name, String version, boolean on) {
        String key = name + ":" + version;
        if (on) {
            serving.computeIfAbsent(key, k -> io.micrometer.core.instrument.Gauge.builder("image_worker_model_serving", () -> 1)
                    .description("1 for each model version serving new jobs").tag("model", name).tag("version", version)
                    .strongReference(true).register(registry));
        } else {
            io.micrometer.core.instrument.Gauge g = serving.remove(key);
            if (g != null) {
                registry.remove(g);
            }
        }
    }

    /** Counts {@code image_worker_model_update_refused_total{model, version, reason}}. */
    @Override
    public void refused(String name, String version, String reason) {
        Counter.builder("image_worker_model_update_refused").description("New model versions refused, by reason")
                .tag("model", name).tag("version", version).tag("reason", reason).register(registry).increment();
    }

    /** Counts of batches and items through {@code model} so far (tests and the bench read these). */
    public double[] batchesAndItems(String model) {
        Counter batches = registry.find("image_worker_batches").tag("model", model).tag("outcome", "ok").counter();
        Counter items = registry.find("image_worker_inference_items").tag("model", model).counter();
        return new double[] {batches == null ? 0 : batches.count(), items == null ? 0 : items.count()};
    }
}
