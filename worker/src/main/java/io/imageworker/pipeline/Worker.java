package io.imageworker.pipeline;

import io.imageworker.config.BatchingConfig;
import io.imageworker.config.LimitsConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.batching.NativeMemory;
import io.imageworker.config.WorkerConfig;
import io.imageworker.inference.DevicePlan;
import io.imageworker.inference.ModelServer;
import io.imageworker.inference.ModelWatcher;
import io.imageworker.intake.JobConsumer;
import io.imageworker.models.ModelRepository;
import io.imageworker.observability.JobTracing;
import io.imageworker.observability.MemoryFit;
import io.imageworker.observability.WorkerMetrics;
import io.imageworker.observability.WorkerState;
import io.imageworker.planning.TaskRoutes;
import io.imageworker.publish.EventPublisher;
import io.imageworker.publish.Publisher;
import io.imageworker.publish.TransactionalPublisher;
import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.Storage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The worker process: wires the stages from configuration, loads the default models, then starts
 * consuming jobs. Started by {@code serve} (and by tests); stopped on shutdown, jobs in flight
 * first.
 */
@ApplicationScoped
public class Worker implements WorkerState {

    private static final Logger LOG = Logger.getLogger(Worker.class);

    @Inject
    WorkerConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    MeterRegistry registry;

    @Inject
    Storage storage;

    @Inject
    Tasks tasks;

    @Inject
    io.opentelemetry.api.OpenTelemetry otel;

    /** What measures a new model version whose card asks for it (the training layer's {@code CardBarCheck}). */
    @Inject
    jakarta.enterprise.inject.Instance<ModelServer.UpdateCheck> updateChecks;

    private volatile boolean ready;
    private ExecutorService io;
    private ExecutorService cpu;
    private EventPublisher publisher;
    /** Exactly-once delivery's producer (results and dead letters); null in at-least-once mode. */
    private TransactionalPublisher transactional;
    private ModelServer models;
    private JobConsumer consumer;
    private JobService service;
    private ItemPermits permits;
    private WorkerMetrics metrics;
    private ModelWatcher watcher;
    private final java.util.List<AutoCloseable> meters = new ArrayList<>();

    /**
     * Ready means warm: every batch size of each preloaded model has run once. They load side by
     * side and warm up one at a time (each warm-up measures its own memory). Under a memory limit
     * (a pod's cgroup), says before loading when the models' budgets may not fit it, and at ready
     * when the measured footprints do not.
     */
    private void preload() throws Exception {
        java.util.OptionalLong limit = MemoryFit.containerLimit(java.nio.file.Path.of("/sys/fs/cgroup"));
        Runtime rt = Runtime.getRuntime();
        if (limit.isPresent()) {
            MemoryFit.beforeLoading(limit.getAsLong(), rt.maxMemory(), tasks.preload().size(),
                    config.batching().maxModelMemory().asLongValue()).ifPresent(LOG::warn);
        }
        List<CompletableFuture<Void>> warming = new ArrayList<>();
        for (String task : tasks.preload()) {
            warming.add(models.get(tasks.defaultModel(task)).warmed());
        }
        CompletableFuture.allOf(warming.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        long rss = NativeMemory.rssBytes(ProcessHandle.current().pid());
        LOG.infof("memory at ready: resident %d MiB, heap %d of at most %d MiB, limit %s", rss >> 20, rt.totalMemory() >> 20,
                rt.maxMemory() >> 20, limit.isPresent() ? (limit.getAsLong() >> 20) + " MiB" : "none");
        if (limit.isPresent()) {
            MemoryFit.atReady(limit.getAsLong(), rss, rt.maxMemory(), rt.totalMemory(), metrics.nativeFootprints())
                    .ifPresent(LOG::error);
        }
    }

    /** Starts the worker; returns once the default models are loaded and warm and the consumer runs. */
    public synchronized void start() throws Exception {
        if (consumer != null) {
            return;
        }
        String workerId = workerId();
        LimitsConfig limits = config.limits();
        metrics = new WorkerMetrics(registry);
        io = Executors.newFixedThreadPool(config.storage().fetchConcurrency(), named("io"));
        cpu = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), named("cpu"));
        storage.onRequest(metrics::storageRequest);
        ObjectStore store = storage.store();
        java.nio.file.Path cacheDir = ModelRepository.defaultCacheDir(config.models().cacheDir());
        String choices = config.batching().choicesDir().orElse(null);
        choicesDir = choices == null ? cacheDir.resolve("warm-up-choices") : "none".equals(choices) ? null : java.nio.file.Path.of(choices);
        // Before any model loads: a GPU asked for that ONNX Runtime cannot use stops the start here.
        DevicePlan devices = DevicePlan.resolve(config.inference().device(), deviceOverrides()).withEngines(engineOverrides());
        devices.notes().forEach(LOG::info);
        models = new ModelServer(
                ModelRepository.open(config.models().repository(), cacheDir,
                        uri -> new io.imageworker.storage.S3ModelSource(store, uri, cacheDir)),
                tasks.translation(), devices, this::batchSettings, metrics, metrics,
                new io.imageworker.models.ModelLoader.LoadOptions(config.inference().onnxIntraOpThreads(),
                        config.inference().onnxCpuArena()),
                metrics, updateChecks.isResolvable() ? updateChecks.get() : null);
        JobServiceWiring wiring = new JobServiceWiring(config, tasks, workerId);
        TaskRoutes routes = wiring.routes(); // before loading: a pool that cannot be routed to stops the start at once
        preload();
        publisher = new EventPublisher(kafka);
        if (config.delivery() == WorkerConfig.Delivery.EXACTLY_ONCE) {
            // Results and dead letters commit with the offsets; progress stays informational, sent at once.
            transactional = new TransactionalPublisher(kafka, config.transactions().idPrefix() + "-" + workerId,
                    config.transactions().timeout(), Math.max(1, config.consumer().maxAttempts()));
        }
        Publisher answers = transactional != null ? transactional : publisher;
        permits = new ItemPermits(limits.maxInFlightItems());
        service = wiring.build(routes, models, new JobServiceWiring.Edges(store, storage.policy(), answers, publisher,
                deadLetterValueLimit()), new JobServiceWiring.Threads(io, cpu, permits), json, metrics, new JobTracing(otel));
        String notificationTopic = config.notifications().topic().orElse(null);
        List<String> topics = notificationTopic == null ? List.of(config.topics().jobs())
                : List.of(config.topics().jobs(), notificationTopic);
        consumer = wiring.consumer(kafka, topics, service, transactional);
        bindClientMetrics();
        registry.gauge("image_worker_items_in_flight", permits, ItemPermits::inUse);
        registry.gauge("image_worker_jobs_in_flight", service, JobService::jobsInFlight);
        registry.gauge("image_worker_intake_paused", consumer, c -> c.paused() ? 1 : 0);
        if (transactional != null) {
            registry.gauge("image_worker_transaction_staged_events", transactional, TransactionalPublisher::stagedEvents);
            registry.more().counter("image_worker_transactions_committed", List.of(), transactional,
                    TransactionalPublisher::transactions);
        }
        consumer.start();
        watcher = ModelWatcher.start(models, config.models().pollInterval());
        ready = true;
        LOG.infof("native allocators: %s", NativeMemory.configured().isEmpty()
                ? "as the environment sets them" : String.join(", ", NativeMemory.configured()));
        LOG.infof("worker %s serving %s, consuming %s as group %s on %s, delivery %s", workerId, tasks.byName().keySet(), topics,
                config.consumer().groupId(), models.devices().describe(), transactional != null
                        ? "exactly-once (transactional id " + config.transactions().idPrefix() + "-" + workerId + ")"
                        : "at-least-once");
    }

    /** {@code image-worker.inference.per-model.<name>.device} settings, by model name. */
    private java.util.Map<String, String> deviceOverrides() {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        config.inference().perModel().forEach((name, m) -> m.device().ifPresent(d -> out.put(name, d)));
        return out;
    }

    /** {@code image-worker.inference.per-model.<name>.engine} settings, by model name. */
    private java.util.Map<String, String> engineOverrides() {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        config.inference().perModel().forEach((name, m) -> m.engine().ifPresent(e -> out.put(name, e)));
        return out;
    }

    /** True once the default models are loaded and the consumer is running. */
    @Override
    public boolean ready() {
        return ready;
    }

    /** The worker's metrics; null until {@link #start()} has run. */
    public WorkerMetrics metrics() {
        return metrics;
    }

    /** The model server holding the loaded models; null until {@link #start()} has run. */
    public ModelServer models() {
        return models;
    }

    /**
     * Reads the model repository now and moves models served by name to new versions (see
     * {@link ModelServer#refresh}); versions refused before are tried again.
     *
     * @throws IllegalStateException when the worker is not started
     * @throws java.io.IOException when the repository cannot be listed
     */
    public ModelServer.Refresh refreshModels() throws java.io.IOException {
        ModelServer m = models;
        if (m == null || !ready) {
            throw new IllegalStateException("the worker is not running");
        }
        return m.refresh(true);
    }

    @Override
    public Map<String, String> servingModels() {
        ModelServer m = models;
        return m == null ? Map.of() : m.serving();
    }

    @Override
    public List<String> drainingModels() {
        ModelServer m = models;
        return m == null ? List.of() : m.draining();
    }

    /** Items in flight across all jobs (fetched, decoding, queued or in a model). */
    @Override
    public int itemsInFlight() {
        return permits == null ? 0 : permits.inUse();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Stops taking jobs, lets those in flight finish within the grace period, then releases everything. */
    public synchronized void stop() {
        ready = false;
        if (consumer == null) {
            return;
        }
        if (watcher != null) {
            watcher.close();
        }
        consumer.close();
        meters.forEach(m -> {
            try {
                m.close();
            } catch (Exception e) {
                LOG.debug("closing client metrics failed", e);
            }
        });
        publisher.close();
        if (transactional != null) {
            transactional.close();
        }
        io.shutdown();
        cpu.shutdown();
        try {
            io.awaitTermination(5, TimeUnit.SECONDS);
            cpu.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        models.close();
        consumer = null;
        LOG.info("worker stopped");
    }

    /**
     * The most callers one ONNX model's warm-up tries when {@code max-inference-threads} is unset: the
     * cores less one, at least 1, at most 4. The core left over is for the rest of an item's work
     * (fetch, decode, views, overlays): the warm-up times a model alone, and on 2 cores a second
     * caller that served 1.5x alone cost 9% (faces) and 14% (text) more worker CPU per image end to end
     * and served fewer images per second (bench grid, issue 16).
     */
    static int defaultInferenceThreads(int cores) {
        return Math.max(1, Math.min(4, cores - 1));
    }

    /** Where warm-up choices are kept between starts ({@code image-worker.batching.choices-dir}); null: nowhere. */
    private java.nio.file.Path choicesDir;

    private ModelServer.BatchSettings batchSettings(String model) {
        BatchingConfig b = config.batching();
        BatchingConfig.ModelBatching m = b.perModel().get(model);
        return new ModelServer.BatchSettings(
                m == null ? b.maxBatchSize() : m.maxBatchSize().orElse(b.maxBatchSize()),
                m == null ? b.maxQueueDelay() : m.maxQueueDelay().orElse(b.maxQueueDelay()),
                // measuring: the most tried; not measuring: the number served, one unless set
                b.maxInferenceThreads().orElse(b.measure() ? defaultInferenceThreads(Runtime.getRuntime().availableProcessors()) : 1),
                b.measure(),
                m == null || m.onnxIntraOpThreads().isEmpty() ? java.util.OptionalInt.empty()
                        : java.util.OptionalInt.of(m.onnxIntraOpThreads().get()),
                (m == null ? b.maxModelMemory() : m.maxModelMemory().orElse(b.maxModelMemory())).asLongValue(),
                choicesDir);
    }

    private void bindClientMetrics() {
        KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer.client());
        consumerMetrics.bindTo(registry);
        KafkaClientMetrics producerMetrics = new KafkaClientMetrics(publisher.client());
        producerMetrics.bindTo(registry);
        meters.add(consumerMetrics);
        meters.add(producerMetrics);
        if (transactional != null) {
            KafkaClientMetrics txMetrics = new KafkaClientMetrics(transactional.client());
            txMetrics.bindTo(registry);
            meters.add(txMetrics);
        }
    }

    /** Largest event value the producer can forward whole: its max.request.size less room for headers. */
    private int deadLetterValueLimit() {
        Object configured = kafka.get("max.request.size");
        int request = configured == null ? 1_048_576 : Integer.parseInt(configured.toString());
        return Math.max(4096, request - 16_384);
    }

    private String workerId() {
        return config.workerId().orElseGet(() -> {
            String host = System.getenv("HOSTNAME");
            return host != null && !host.isBlank() ? host : "worker-" + ProcessHandle.current().pid();
        });
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
