package io.imageworker.inference;

import ai.djl.Device;
import ai.djl.translate.Translator;
import io.imageworker.batching.BatchObserver;
import io.imageworker.inference.ood.OodDetector;
import io.imageworker.inference.ood.PenultimateTap;
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
 */
public final class ModelServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelServer.class);

    /**
     * Batching of one model.
     *
     * @param maxBatchSize the largest batch (a graph that fixes its batch size lowers it)
     * @param maxQueueDelay how long the first item of a batch may wait for more
     * @param maxInferenceThreads most threads calling the model at once (models whose engine takes
     *     concurrent calls; the others get one)
     * @param measure time batch sizes and threads at warm-up and keep the best, rather than batch
     *     up to the maximum on one thread
     */
    public record BatchSettings(int maxBatchSize, Duration maxQueueDelay, int maxInferenceThreads, boolean measure) {

        /** Batches up to {@code maxBatchSize} on one thread, nothing measured. */
        public BatchSettings(int maxBatchSize, Duration maxQueueDelay) {
            this(maxBatchSize, maxQueueDelay, 1, false);
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

    private final ModelRepository repository;
    private final Translation translation;
    private final Device device;
    private final Function<String, BatchSettings> batchSettings;
    private final BatchObserver batchObserver;
    private final LoadObserver loadObserver;
    private final Map<String, ServedModel<?, ?>> served = new ConcurrentHashMap<>();
    /** References already resolved (a name without version keeps the version it first resolved to). */
    private final Map<String, ServedModel<?, ?>> byRef = new ConcurrentHashMap<>();
    /** Ids being loaded on this thread's call chain (companions), to refuse a cycle. */
    private final java.util.Set<String> loading = new java.util.LinkedHashSet<>();
    private final ModelLoader.LoadOptions loadOptions;

    /**
     * @param translation each task's translator and warm-up input
     * @param batchSettings batch settings by model name
     */
    public ModelServer(ModelRepository repository, Translation translation, Device device,
            Function<String, BatchSettings> batchSettings, BatchObserver batchObserver, LoadObserver loadObserver) {
        this(repository, translation, device, batchSettings, batchObserver, loadObserver, ModelLoader.LoadOptions.DEFAULT);
    }

    /**
     * As above, with how ONNX Runtime runs each graph ({@code image-worker.inference.onnx-intra-op-threads}).
     */
    public ModelServer(ModelRepository repository, Translation translation, Device device,
            Function<String, BatchSettings> batchSettings, BatchObserver batchObserver, LoadObserver loadObserver,
            ModelLoader.LoadOptions loadOptions) {
        this.loadOptions = loadOptions;
        this.repository = repository;
        this.translation = translation;
        this.device = device;
        this.batchSettings = batchSettings;
        this.batchObserver = batchObserver;
        this.loadObserver = loadObserver;
    }

    /**
     * The device every model of this server is loaded on (the worker chooses it with
     * {@link DeviceSelector}).
     */
    public Device device() {
        return device;
    }

    /** The repository models are resolved and loaded from. */
    public ModelRepository repository() {
        return repository;
    }

    /**
     * The served model for {@code ref} ({@code name} or {@code name:version}), loading it if needed.
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
                return existing;
            }
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
            LoadedModel loaded = ModelLoader.load(resolved.dir(), device, loadOptions);
            OodDetector ood;
            try {
                ood = outOfDistribution(loaded);
            } catch (IOException | RuntimeException e) {
                loaded.close();
                throw e;
            }
            BatchSettings settings = batchSettings.apply(loaded.card().name());
            ServedModel<?, ?> model;
            try {
                model = serve(loaded, translation.translator(loaded.card()), settings,
                        translation.sampleInput(loaded.card()), ood);
            } catch (RuntimeException e) {
                loaded.close();
                throw e;
            }
            model.companions(companions);
            long took = System.nanoTime() - t0;
            served.put(id, model);
            loadObserver.loaded(id, took);
            LOG.infof("loaded model %s (%s, %s) on %s in %d ms, batch size up to %d, max delay %s", id, loaded.card().task(),
                    loaded.card().formatOrDefault(), loaded.device(), took / 1_000_000, model.maxBatchSize(),
                    settings.maxQueueDelay());
            byRef.put(ref, model);
            return model;
        }
    }

    /**
     * Loads the models {@code card} names as its companions (a text detector's recognizer), by role.
     * A chain that names a model being loaded is refused (it would never end).
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
                c = get(e.getValue());
            } catch (IOException | RuntimeException ex) {
                throw new IOException("model " + card.id() + ": companion '" + e.getKey() + "' (" + e.getValue()
                        + ") cannot be loaded: " + ex.getMessage(), ex);
            }
            out.put(e.getKey(), c);
        }
        return out;
    }

    /**
     * The model's out-of-distribution detector from its card ({@code options.outOfDistribution};
     * classify, segment and localize models have one), with the network wrapped so that it also
     * returns the features the detector reads when it needs them; null for models without one.
     */
    static OodDetector outOfDistribution(LoadedModel loaded) throws IOException {
        OodDetector ood = OodDetector.fromCard(loaded.card().options(), loaded.dir());
        if (ood != null && ood.needsFeatures()) {
            PenultimateTap.install(loaded.model());
        }
        return ood;
    }

    @SuppressWarnings("unchecked")
    private <I, O> ServedModel<I, O> serve(LoadedModel loaded, Translator<I, O> translator, BatchSettings s, Object sample,
            OodDetector ood) {
        int cap = loaded.fixedBatch() > 0 ? Math.min(loaded.fixedBatch(), s.maxBatchSize()) : s.maxBatchSize();
        int threads = loaded.concurrentCalls() ? s.maxInferenceThreads() : 1;
        return new ServedModel<>(loaded, translator, cap, s.maxQueueDelay(), batchObserver, (I) sample, ood,
                new io.imageworker.batching.DynamicBatcher.Tuning(s.measure(), threads, ServedModel::shapeOf));
    }

    /** Models loaded so far. */
    public List<ServedModel<?, ?>> loaded() {
        return new ArrayList<>(served.values());
    }

    @Override
    public void close() {
        served.values().forEach(ServedModel::close);
        served.clear();
    }
}
