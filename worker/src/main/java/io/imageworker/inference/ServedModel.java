package io.imageworker.inference;

import io.imageworker.batching.BatchObserver;
import io.imageworker.batching.DynamicBatcher;
import io.imageworker.batching.BatchTuning;
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
 * <p>Lifetime: whoever calls the model while it may be replaced holds a use ({@link #tryUse},
 * {@link #release}); a job holds one from planning to its result, a model holds one on each
 * companion. A newer version replaces it by {@link #retire}: it takes no new uses, the ones held
 * finish on it, and the last release closes it (batcher, then weights), completing {@link #closed}.
 *
 * @param <I> input per item
 * @param <O> output per item
 */
public final class ServedModel<I, O> implements AutoCloseable {

    private final LoadedModel model;
    private final DynamicBatcher<I, O> batcher;
    private final OodDetector outOfDistribution;
    private volatile java.util.Map<String, ServedModel<?, ?>> companions = java.util.Map.of();
    /** Uses held now; -1 once closed (no use can be taken after that). */
    private final java.util.concurrent.atomic.AtomicInteger uses = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean retired;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    ServedModel(LoadedModel model, Translator<I, O> translator, int maxBatchSize, Duration maxDelay,
            BatchObserver observer, I warmUpSample, OodDetector outOfDistribution, BatchTuning tuning) {
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

    /**
     * Completes once the model has run at every batch size up to its maximum, and so have its
     * companions: a job of this model calls them too, so the worker is not ready (and a new version
     * not swapped in) while a companion still measures its batch sizes on the same cores.
     */
    public CompletableFuture<Void> warmed() {
        List<CompletableFuture<Void>> all = new java.util.ArrayList<>();
        all.add(batcher.warmed());
        companions.values().forEach(c -> all.add(c.warmed()));
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
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

    /** Companions by role, set by the server once it holds a use on each; released when this model closes. */
    void companions(java.util.Map<String, ServedModel<?, ?>> loaded) {
        this.companions = java.util.Map.copyOf(loaded);
    }

    /**
     * Takes a use: the model stays open until it is released, even if retired meanwhile.
     *
     * @return false when the model is already closed (a retired model whose last use ended); the
     *     caller then asks the server again and gets the version serving now
     */
    public boolean tryUse() {
        for (;;) {
            int n = uses.get();
            if (n < 0) {
                return false;
            }
            if (uses.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /**
     * Ends a use taken with {@link #tryUse}; the last one of a retired model closes it. Releasing a
     * model the server already closed (at shutdown) does nothing.
     *
     * @throws IllegalStateException when no use is held
     */
    public void release() {
        for (;;) {
            int n = uses.get();
            if (n < 0) {
                return;
            }
            if (n == 0) {
                throw new IllegalStateException("model " + card().id() + " released more often than used");
            }
            if (uses.compareAndSet(n, n - 1)) {
                if (n == 1 && retired) {
                    closeIfUnused();
                }
                return;
            }
        }
    }

    /** Uses held now (jobs in flight on this version, models using it as a companion); -1 once closed. */
    public int uses() {
        return uses.get();
    }

    /** True once a newer version (or the end of its pin) replaced it: it drains and closes. */
    public boolean retired() {
        return retired;
    }

    /** Completes once the batcher has stopped and the weights are closed. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** True while the weights' native memory is held (the model's root NDManager is open). */
    public boolean open() {
        return model.open();
    }

    /** The weights and card, for checks that run the model outside its batcher (an update's evaluation). */
    public LoadedModel loadedModel() {
        return model;
    }

    /** Stops handing this model out: it closes once the uses held now are released (at once if none). */
    void retire() {
        retired = true;
        closeIfUnused();
    }

    private void closeIfUnused() {
        if (uses.compareAndSet(0, -1)) {
            close();
        }
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

    /**
     * Stops the batcher (the batch running finishes, queued items fail), closes the weights and
     * releases the companions. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed.isDone()) {
            return;
        }
        uses.set(-1);
        try {
            batcher.close();
            model.close();
        } finally {
            companions.values().forEach(ServedModel::release);
            closed.complete(null);
        }
    }
}
