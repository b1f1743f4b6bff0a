package io.imageworker.inference;

import ai.djl.Device;
import ai.djl.translate.Translator;
import io.imageworker.batching.BatchObserver;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.ModelRepository;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Loads models on first use and keeps one {@link ServedModel} (weights + batcher + inference
 * thread) per model version on the chosen device.
 *
 * <p>A reference names a model as {@code name} (the highest version, followed by {@link #refresh})
 * or {@code name:version} (pinned). {@link #refresh} reads the repository again: a reference by
 * name whose model has a higher version now gets it, loaded, warmed up and checked beside the one
 * serving, then swapped in at once; the old version drains (the jobs holding it finish on it) and
 * closes. A version that does not load, warm up, or meet its card's bars is refused and the old
 * one keeps serving. A pinned version stays loaded while the repository has it.
 *
 * <p>Starting one version (weights, detector, batcher) is {@link ModelStarter}'s; the live updates
 * are {@link LiveUpdates}'; this class resolves references and keeps what serves.
 */
public final class ModelServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelServer.class);

    /**
     * Batching of one model.
     *
     * @param maxBatchSize the largest batch (a graph that fixes its batch size lowers it)
     * @param maxQueueDelay how long the first item of a batch may wait for more
     * @param maxInferenceThreads most threads calling the model at once (models whose engine takes
     *     concurrent calls; the others get one); without measuring, the number that serve it
     * @param measure time batch sizes and threads at warm-up and keep the best, rather than batch
     *     up to the maximum on {@code maxInferenceThreads} threads
     * @param intraOpThreads threads inside one ONNX Runtime call of this model; empty: the server's
     *     {@link ModelLoader.LoadOptions}
     * @param memoryBudget most native bytes the model's warm-up may leave held (see
     *     {@link io.imageworker.batching.BatchTuning#memoryBudget()}); 0: no bound
     * @param choices folder where warm-up choices are kept between starts
     *     ({@link io.imageworker.batching.ChoiceStore}); null: measured at every start
     */
    public record BatchSettings(int maxBatchSize, Duration maxQueueDelay, int maxInferenceThreads, boolean measure,
            java.util.OptionalInt intraOpThreads, long memoryBudget, java.nio.file.Path choices) {

        /** Memory unbounded, nothing kept between starts. */
        public BatchSettings(int maxBatchSize, Duration maxQueueDelay, int maxInferenceThreads, boolean measure,
                java.util.OptionalInt intraOpThreads) {
            this(maxBatchSize, maxQueueDelay, maxInferenceThreads, measure, intraOpThreads, 0, null);
        }

        /** Batches up to {@code maxBatchSize} on one thread, nothing measured. */
        public BatchSettings(int maxBatchSize, Duration maxQueueDelay) {
            this(maxBatchSize, maxQueueDelay, 1, false);
        }

        /** With the server's intra-op threads. */
        public BatchSettings(int maxBatchSize, Duration maxQueueDelay, int maxInferenceThreads, boolean measure) {
            this(maxBatchSize, maxQueueDelay, maxInferenceThreads, measure, java.util.OptionalInt.empty());
        }
    }

    /**
     * How a task serves its models: the DJL translator of a model card, and a blank input of the
     * model's shape to warm it up with. The pipeline supplies it from the tasks it discovered, so
     * inference names no task.
     */
    public interface Translation {

        /**
         * The translator of {@code card}'s task.
         *
         * @throws IllegalArgumentException when no task of this worker serves {@code card.task()}
         */
        Translator<?, ?> translator(ModelCard card);

        /** A blank input of {@code card}'s model, of the type {@link #translator} takes. */
        Object sampleInput(ModelCard card);
    }

    /** Hears how long each model took to load. */
    public interface LoadObserver {
        /**
         * @param model the loaded version's id ({@code name:version})
         * @param nanos time from reading the card to the batcher started, in nanoseconds (warm-up,
         *     which runs after, not included)
         */
        void loaded(String model, long nanos);
    }

    /**
     * Hears which versions serve and which updates were refused (the worker's metrics).
     */
    public interface UpdateObserver {

        /** {@code name:version} started ({@code serving} true) or stopped serving new jobs. */
        void serving(String name, String version, boolean serving);

        /**
         * A new version was not let in.
         *
         * @param reason {@code load} (card or weights unreadable, card and graph disagree, a
         *     companion missing), {@code task} (it does another task than the version serving),
         *     {@code warm-up} (a warm-up batch failed) or {@code metrics} (below its card's bar)
         */
        void refused(String name, String version, String reason);

        /** Hears nothing. */
        UpdateObserver NONE = new UpdateObserver() {
            @Override
            public void serving(String name, String version, boolean serving) {}

            @Override
            public void refused(String name, String version, String reason) {}
        };
    }

    /**
     * Measures a new version before it may serve, when its card asks ({@code updateCheck}): the
     * training layer's evaluations, supplied by whoever builds the server.
     */
    public interface UpdateCheck {

        /**
         * What keeps {@code candidate} from serving: one line per metric below its card's bar;
         * empty when it may serve.
         *
         * @param repository where the candidate's companions are found, for evaluations that need them
         * @throws IOException when the evaluation data cannot be read (the version is refused)
         */
        List<String> shortfalls(LoadedModel candidate, ModelRepository repository) throws IOException;
    }

    /**
     * One change a {@link #refresh} made or refused.
     *
     * @param ref the reference concerned ({@code name}, or {@code name:version} for a pin)
     * @param from the version id serving it before ({@code name:version})
     * @param to the version id offered; null when a pinned version left the repository
     * @param outcome {@code updated}, {@code refused} or {@code unpinned} (its version left the
     *     repository: unloaded once drained)
     * @param reason for refusals, the refusal's kind ({@link UpdateObserver#refused}) and message
     */
    public record Change(String ref, String from, String to, String outcome, String reason) {}

    /**
     * What a {@link #refresh} did.
     *
     * @param changes the changes made or refused, in reference order
     * @param serving reference to the version id serving it now
     * @param draining version ids replaced and still finishing the jobs that hold them
     */
    public record Refresh(List<Change> changes, Map<String, String> serving, List<String> draining) {}

    private final ModelRepository repository;
    private final DevicePlan devices;
    private final ModelStarter starter;
    private final Map<String, ServedModel<?, ?>> served = new ConcurrentHashMap<>();
    /** References already resolved (a name without version keeps the version it first resolved to). */
    private final Map<String, ServedModel<?, ?>> byRef = new ConcurrentHashMap<>();
    /** Ids being loaded on this thread's call chain (companions), to refuse a cycle. */
    private final java.util.Set<String> loading = new java.util.LinkedHashSet<>();
    private final LiveUpdates liveUpdates;
    private final UpdateObserver updateObserver;

    /**
     * @param translation each task's translator and warm-up input
     * @param batchSettings batch settings by model name
     */
    public ModelServer(ModelRepository repository, Translation translation, Device device,
            Function<String, BatchSettings> batchSettings, BatchObserver batchObserver, LoadObserver loadObserver) {
        this(repository, translation, DevicePlan.fixed(device), batchSettings, batchObserver, loadObserver,
                ModelLoader.LoadOptions.DEFAULT, UpdateObserver.NONE, null);
    }

    /**
     * As above, with how ONNX Runtime runs each graph ({@code image-worker.inference.onnx-intra-op-threads}),
     * who hears of updates, and what measures a new version whose card asks for it (null: such a
     * version is refused, since it cannot be measured).
     */
    public ModelServer(ModelRepository repository, Translation translation, DevicePlan devices,
            Function<String, BatchSettings> batchSettings, BatchObserver batchObserver, LoadObserver loadObserver,
            ModelLoader.LoadOptions loadOptions, UpdateObserver updates, UpdateCheck check) {
        this.repository = repository;
        this.devices = devices;
        this.updateObserver = updates;
        this.starter = new ModelStarter(translation, devices, batchSettings, batchObserver, loadObserver, loadOptions);
        this.liveUpdates = new LiveUpdates(this, repository, served, byRef, updates, check);
    }


    /** Where this server's models are loaded, per engine and model ({@link DevicePlan}). */
    public DevicePlan devices() {
        return devices;
    }

    /** The repository models are resolved and loaded from. */
    public ModelRepository repository() {
        return repository;
    }

    /**
     * The served model for {@code ref} ({@code name} or {@code name:version}), loading it if needed.
     * A caller that runs items on it while a {@link #refresh} may replace it takes a use instead
     * ({@link #acquire}).
     *
     * @throws io.imageworker.models.UnknownModelException when the repository lacks it
     */
    public ServedModel<?, ?> get(String ref) throws IOException {
        ServedModel<?, ?> known = byRef.get(ref);
        if (known != null) {
            return known; // resolving reads the repository: not on every job
        }
        ModelRepository.Resolved resolved = repository.resolve(ref);
        String id = resolved.card().id();
        ServedModel<?, ?> existing = served.get(id);
        if (existing != null) {
            byRef.putIfAbsent(ref, existing);
            return existing;
        }
        synchronized (this) {
            existing = served.get(id);
            if (existing != null) {
                byRef.putIfAbsent(ref, existing);
                return existing;
            }
            ServedModel<?, ?> model = load(resolved);
            served.put(id, model);
            byRef.put(ref, model);
            updateObserver.serving(model.card().name(), model.card().version(), true);
            return model;
        }
    }

    /**
     * The served model for {@code ref} with a use taken on it: it stays open, even if a newer
     * version replaces it meanwhile, until the caller calls {@link ServedModel#release()} (a job
     * does once its result is out).
     *
     * @throws io.imageworker.models.UnknownModelException when the repository lacks it
     */
    public ServedModel<?, ?> acquire(String ref) throws IOException {
        for (int attempt = 0; attempt < 5; attempt++) {
            ServedModel<?, ?> model = get(ref);
            if (model.tryUse()) {
                return model;
            }
            // Closed between the lookup and the use: a refresh replaced it, and the next lookup finds the new one.
            byRef.remove(ref, model);
        }
        throw new IOException("model " + ref + " was replaced five times while a job asked for it");
    }

    /**
     * Loads, wires and starts (warm-up included, running on its batcher) the version {@code resolved}
     * names, with its companions; the caller registers it. Called holding this server's lock.
     */
    ServedModel<?, ?> load(ModelRepository.Resolved resolved) throws IOException {
        String id = resolved.card().id();
        long t0 = System.nanoTime();
        if (!loading.add(id)) {
            throw new IOException("model " + id + " is its own companion (through " + loading + ")");
        }
        Map<String, ServedModel<?, ?>> companions;
        try {
            companions = companions(resolved.card());
        } finally {
            loading.remove(id);
        }
        return starter.start(resolved, companions, t0);
    }


    /**
     * Loads the models {@code card} names as its companions (a text detector's recognizer), by role,
     * each with a use taken (released when the model closes). A chain that names a model being
     * loaded is refused (it would never end).
     *
     * @throws IOException when a companion cannot be loaded, with the role and the reference
     */
    private Map<String, ServedModel<?, ?>> companions(ModelCard card) throws IOException {
        if (card.companions() == null || card.companions().isEmpty()) {
            return Map.of();
        }
        Map<String, ServedModel<?, ?>> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> e : card.companions().entrySet()) {
            ServedModel<?, ?> c;
            try {
                c = acquire(e.getValue());
            } catch (IOException | RuntimeException ex) {
                out.values().forEach(ServedModel::release);
                throw new IOException("model " + card.id() + ": companion '" + e.getKey() + "' (" + e.getValue()
                        + ") cannot be loaded: " + ex.getMessage(), ex);
            }
            out.put(e.getKey(), c);
        }
        return out;
    }

    /**
     * Reads the repository again and moves each reference by name to its model's highest version,
     * which is loaded, warmed up at every batch size and, when its card asks, measured against its
     * bars before it is swapped in; the version it replaces takes no new jobs, finishes the ones
     * holding it, and closes (unless a pin still names it). A pinned version the repository no
     * longer has is unpinned the same way. A version refused once is not tried again unless
     * {@code retryRefused}.
     *
     * <p>Jobs are not held up: until the swap they get the old version, after it the new one.
     * Refreshes run one at a time.
     *
     * @throws IOException when the repository cannot be listed (nothing changes)
     */
    public Refresh refresh(boolean retryRefused) throws IOException {
        return liveUpdates.refresh(retryRefused);
    }

    /** Reference to version id serving it, for health and metrics. */
    public Map<String, String> serving() {
        Map<String, String> out = new java.util.TreeMap<>();
        byRef.forEach((r, m) -> out.put(r, m.card().id()));
        return out;
    }

    /** Version ids replaced and still finishing the jobs that hold them. */
    public List<String> draining() {
        return liveUpdates.draining();
    }

    /** Version ids refused by a refresh, with the kind and message of each refusal. */
    public Map<String, String> refused() {
        return liveUpdates.refused();
    }

    /** Models loaded so far. */
    public List<ServedModel<?, ?>> loaded() {
        return new ArrayList<>(served.values());
    }

    @Override
    public void close() {
        served.values().forEach(ServedModel::close);
        liveUpdates.close();
        served.clear();
        byRef.clear();
    }
}
