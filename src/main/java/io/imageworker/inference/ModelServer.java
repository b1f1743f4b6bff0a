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

    /** Batch size and delay for one model. */
    public record BatchSettings(int maxBatchSize, Duration maxQueueDelay) {}

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

    /**
     * @param translation each task's translator and warm-up input
     * @param batchSettings batch settings by model name
     */
    public ModelServer(ModelRepository repository, Translation translation, Device device,
            Function<String, BatchSettings> batchSettings, BatchObserver batchObserver, LoadObserver loadObserver) {
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
            LoadedModel loaded = ModelLoader.load(resolved.dir(), device);
            OodDetector ood;
            try {
                ood = outOfDistribution(loaded);
            } catch (IOException | RuntimeException e) {
                loaded.close();
                throw e;
            }
            BatchSettings settings = batchSettings.apply(loaded.card().name());
            ServedModel<?, ?> model = serve(loaded, translation.translator(loaded.card()), settings,
                    translation.sampleInput(loaded.card()), ood);
            long took = System.nanoTime() - t0;
            loadObserver.loaded(id, took);
            LOG.infof("loaded model %s (%s) on %s in %d ms, batch size %d, max delay %s", id, loaded.card().task(),
                    device, took / 1_000_000, settings.maxBatchSize(), settings.maxQueueDelay());
            served.put(id, model);
            byRef.put(ref, model);
            return model;
        }
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
        return new ServedModel<>(loaded, translator, s.maxBatchSize(), s.maxQueueDelay(), batchObserver, (I) sample, ood);
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
