package io.imageworker.inference;

import io.imageworker.batching.BatchObserver;
import io.imageworker.batching.DynamicBatcher;
import io.imageworker.inference.ood.OodDetector;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import ai.djl.translate.Translator;
import java.time.Duration;
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

    ServedModel(LoadedModel model, Translator<I, O> translator, int maxBatchSize, Duration maxDelay,
            BatchObserver observer, I warmUpSample, OodDetector outOfDistribution) {
        this.model = model;
        this.outOfDistribution = outOfDistribution;
        this.batcher = new DynamicBatcher<>(model.card().id(), maxBatchSize, maxDelay,
                () -> new PredictorRunner<>(model, translator), observer, warmUpSample);
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
