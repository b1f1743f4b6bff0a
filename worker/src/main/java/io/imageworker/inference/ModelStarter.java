package io.imageworker.inference;

import ai.djl.translate.Translator;
import io.imageworker.batching.BatchObserver;
import io.imageworker.batching.BatchTuning;
import io.imageworker.batching.ChoiceStore;
import io.imageworker.inference.ModelServer.BatchSettings;
import io.imageworker.inference.ModelServer.LoadObserver;
import io.imageworker.inference.ModelServer.Translation;
import io.imageworker.inference.ood.OodDetector;
import io.imageworker.inference.ood.PenultimateTap;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.ModelRepository;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Starts one model version for {@link ModelServer}: its weights loaded on the device the
 * {@link DevicePlan} gives it, its out-of-distribution detector, and a {@link ServedModel} (batcher
 * and inference threads) sized by the model's {@link BatchSettings}, whose warm-up starts at once
 * and whose measured choice is kept in a {@link ChoiceStore} when the settings say where.
 */
final class ModelStarter {

    private static final Logger LOG = Logger.getLogger(ModelServer.class);

    private final Translation translation;
    private final DevicePlan devices;
    private final Function<String, BatchSettings> batchSettings;
    private final BatchObserver batchObserver;
    private final LoadObserver loadObserver;
    private final ModelLoader.LoadOptions loadOptions;

    ModelStarter(Translation translation, DevicePlan devices, Function<String, BatchSettings> batchSettings,
            BatchObserver batchObserver, LoadObserver loadObserver, ModelLoader.LoadOptions loadOptions) {
        this.translation = translation;
        this.devices = devices;
        this.batchSettings = batchSettings;
        this.batchObserver = batchObserver;
        this.loadObserver = loadObserver;
        this.loadOptions = loadOptions;
    }

    /**
     * Loads and starts {@code resolved}, handing it its {@code companions} (each with a use taken,
     * released here if the start fails).
     *
     * @param t0 when loading began ({@link System#nanoTime()}), for the load time reported
     * @throws IOException when the card or weights cannot be read
     */
    ServedModel<?, ?> start(ModelRepository.Resolved resolved, Map<String, ServedModel<?, ?>> companions, long t0)
            throws IOException {
        String id = resolved.card().id();
        LoadedModel loaded = null;
        ServedModel<?, ?> model;
        try {
            BatchSettings settings = batchSettings.apply(resolved.card().name());
            loaded = ModelLoader.load(resolved.dir(), devices.asFunction(), devices::onnxFormFor, settings.intraOpThreads().isPresent()
                    ? loadOptions.withIntraOpThreads(settings.intraOpThreads().getAsInt()) : loadOptions);
            OodDetector ood = outOfDistribution(loaded);
            model = serve(loaded, translation.translator(loaded.card()), settings,
                    translation.sampleInput(loaded.card()), ood);
            model.companions(companions);
            long took = System.nanoTime() - t0;
            loadObserver.loaded(id, took);
            LOG.infof("loaded model %s (%s, %s) on %s in %d ms, batch size up to %d, max delay %s", id, loaded.card().task(),
                    loaded.card().formatOrDefault(), loaded.device(), took / 1_000_000, model.maxBatchSize(),
                    settings.maxQueueDelay());
            return model;
        } catch (IOException | RuntimeException e) {
            if (loaded != null) {
                loaded.close();
            }
            companions.values().forEach(ServedModel::release);
            throw e;
        }
    }

    /**
     * The model's out-of-distribution detector from its card ({@code options.outOfDistribution};
     * classify, segment and localize models have one), with the network wrapped so that it also
     * returns the features the detector reads when it needs them; null for models without one.
     */
    static OodDetector outOfDistribution(LoadedModel loaded) throws IOException {
        OodDetector ood = OodDetector.fromCard(loaded.card().options(), loaded.dir());
        // An exported ONNX form already returns (logits, features), what the tap adds to the MXNet form.
        if (ood != null && ood.needsFeatures() && !loaded.onnxForm()) {
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
                new BatchTuning(s.measure(), threads, ServedModel::shapeOf,
                        loaded.device().isGpu(), s.memoryBudget(), choiceStore(loaded, s, cap, threads)));
    }

    /**
     * Where {@code loaded}'s warm-up choice is kept, under a key of everything it depends on here
     * (see {@link ChoiceStore}); null when nothing is kept or the model's
     * files cannot be hashed (it is then measured, as without a store).
     */
    private ChoiceStore choiceStore(LoadedModel loaded, BatchSettings s, int cap, int threads) {
        if (s.choices() == null || !s.measure()) {
            return null;
        }
        try {
            Map<String, String> key = new TreeMap<>();
            key.put("sha256", ChoiceStore.sha256(loaded.dir()));
            key.put("format", loaded.card().formatOrDefault());
            key.put("device", loaded.device().toString());
            key.put("intraOpThreads", Integer.toString(s.intraOpThreads().orElse(loadOptions.intraOpThreads())));
            key.put("maxBatchSize", Integer.toString(cap));
            key.put("maxThreads", Integer.toString(threads));
            key.put("memoryBudget", Long.toString(s.memoryBudget()));
            return new ChoiceStore(s.choices(), loaded.card().id(), key);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("%s: files not hashed (%s); its warm-up choice is measured and not kept", loaded.card().id(), e.toString());
            return null;
        }
    }
}
