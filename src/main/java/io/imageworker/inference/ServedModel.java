package io.imageworker.inference;

import io.imageworker.batching.BatchObserver;
import io.imageworker.batching.DynamicBatcher;
import io.imageworker.inference.ood.OodDetector;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import ai.djl.translate.Translator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A model in memory with its batcher: what jobs call. Loaded once and shared by every job and task
 * handler that names it.
 *
 * @param <I> input per item
 * @param <O> output per item
 */
public final class ServedModel<I, O> implements AutoCloseable {

    private final LoadedModel model;
    private final DynamicBatcher<I, O> batcher;
    private final OodDetector outOfDistribution;
    private volatile java.util.Map<String, ServedModel<?, ?>> companions = java.util.Map.of();

    ServedModel(LoadedModel model, Translator<I, O> translator, int maxBatchSize, Duration maxDelay,
            BatchObserver observer, I warmUpSample, OodDetector outOfDistribution, DynamicBatcher.Tuning tuning) {
        this.model = model;
        this.outOfDistribution = outOfDistribution;
        this.batcher = new DynamicBatcher<>(model.card().id(), maxBatchSize, maxDelay,
                () -> new PredictorRunner<>(model, translator), observer, warmUpSample, tuning);
    }

    /**
     * The batching bucket of an input: an image tensor's (C, H, W), so that inputs of different
     * sizes (detector inputs, recognizer crops) never share a call; other inputs share one bucket.
     */
    static Object shapeOf(Object input) {
        return input instanceof io.imageworker.imaging.ImageTensor t ? List.of(t.channels(), t.height(), t.width()) : null;
    }

    /** Inference threads serving this model (measured at warm-up when batching measures). */
    public int inferenceThreads() {
        return batcher.threads();
    }

    /** Completes once the model has run at every batch size up to its maximum. */
    public CompletableFuture<Void> warmed() {
        return batcher.warmed();
    }

    /** The card of the loaded model version: id, task, input shape, labels. */
    public ModelCard card() {
        return model.card();
    }

    /** The model's out-of-distribution detector (from its card), or null when it has none. */
    public OodDetector outOfDistribution() {
        return outOfDistribution;
    }

    /**
     * The model that plays {@code role} beside this one (the card's {@code companions}: a text
     * detector's {@code recognizer} and {@code angle-classifier}), loaded and warmed with it.
     *
     * @throws IllegalArgumentException when the card names no companion for {@code role}
     */
    @SuppressWarnings("unchecked")
    public <I2, O2> ServedModel<I2, O2> companion(String role) {
        ServedModel<?, ?> c = companions.get(role);
        if (c == null) {
            throw new IllegalArgumentException("model " + card().id() + " has no companion '" + role
                    + "' (its card names " + new java.util.TreeSet<>(companions.keySet()) + ")");
        }
        return (ServedModel<I2, O2>) c;
    }

    /** Companions by role, set by the server once they are loaded. */
    void companions(java.util.Map<String, ServedModel<?, ?>> loaded) {
        this.companions = java.util.Map.copyOf(loaded);
    }

    /** Queues one item; completes with its output or its own error. */
    public CompletableFuture<O> infer(I input, int priority) {
        return batcher.submit(input, priority);
    }

    /** Items waiting in the batcher's queue now (not counting the batch being run). */
    public int queueDepth() {
        return batcher.queueDepth();
    }

    /** The most items the batcher puts in one model call. */
    public int maxBatchSize() {
        return batcher.maxBatchSize();
    }

    @Override
    public void close() {
        batcher.close();
        model.close();
    }
}
