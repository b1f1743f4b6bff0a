package io.imageworker.batching;

/**
 * How the batcher chooses its batch size and number of inference threads.
 *
 * @param measure time the candidates at warm-up and keep the best by {@link BatchChoice} (needs a
 *     warm-up sample); false: batches up to the cap on {@code maxThreads} threads
 * @param maxThreads most inference threads (each with its own runner, sharing the queue); more
 *     than 1 only for engines whose sessions take concurrent calls. Without measuring, the number served
 * @param bucket the shape of an item: only items of equal shape share a batch (inputs of any
 *     size are never padded to each other); null: all items share one shape. A shape that is a
 *     list of numbers (an image tensor's C, H, W) also counts the elements for the padding
 *     metric ({@link BatchObserver#elements})
 * @param accelerator the model runs on a GPU: {@link BatchChoice} keeps large batches where they
 *     pay in items per second, rather than weighing an item's CPU cost
 * @param memoryBudget most native memory, in bytes, the model's warm-up may leave held by the
 *     process ({@link NativeMemory#heldBytes()} grown from its first call on: the engine's arrays,
 *     pools and caches at the batch sizes it ran); the search does not try a batch size whose
 *     growth, extrapolated from the sizes before it, passes it, and drops one that did. 0: no bound
 * @param remembered where the choice is kept between starts: a choice kept under the same key
 *     is reused instead of measured, a new one is saved there; null: measured at every start
 */
public record BatchTuning(boolean measure, int maxThreads, java.util.function.Function<Object, Object> bucket,
        boolean accelerator, long memoryBudget, ChoiceStore remembered) {

    /** No measurement, one thread, one shape: batches up to the cap. */
    public static final BatchTuning FIXED = new BatchTuning(false, 1, null);

    /** @throws IllegalArgumentException when {@code maxThreads} is below 1 or the budget negative */
    public BatchTuning {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("inference threads must be at least 1, was " + maxThreads);
        }
        if (memoryBudget < 0) {
            throw new IllegalArgumentException("memory budget must be at least 0, was " + memoryBudget);
        }
    }

    /** On the CPU, memory unbounded, nothing kept between starts. */
    public BatchTuning(boolean measure, int maxThreads, java.util.function.Function<Object, Object> bucket) {
        this(measure, maxThreads, bucket, false, 0, null);
    }

    /** Memory unbounded, nothing kept between starts. */
    public BatchTuning(boolean measure, int maxThreads, java.util.function.Function<Object, Object> bucket,
            boolean accelerator) {
        this(measure, maxThreads, bucket, accelerator, 0, null);
    }

    /** Nothing kept between starts. */
    public BatchTuning(boolean measure, int maxThreads, java.util.function.Function<Object, Object> bucket,
            boolean accelerator, long memoryBudget) {
        this(measure, maxThreads, bucket, accelerator, memoryBudget, null);
    }
}
