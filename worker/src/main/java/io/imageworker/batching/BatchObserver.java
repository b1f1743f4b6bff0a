package io.imageworker.batching;

/** Hears about every batch a batcher runs (metrics live outside the ML code). */
public interface BatchObserver {

    /**
     * @param model model id
     * @param size items in the batch
     * @param queueNanos time the batch's oldest item waited in the queue
     * @param computeNanos time the model took
     * @param failed whether the batch call failed (its items are then retried alone)
     */
    void batch(String model, int size, long queueNanos, long computeNanos, boolean failed);

    /** The warm-up measured the model's batch size and inference threads and kept {@code choice}. */
    default void tuned(String model, DynamicBatcher.Choice choice) {}

    /**
     * The input elements of one model call: {@code real} in the items themselves, {@code called} in
     * the call's input (its batch size times its largest item). They differ only where items of
     * different shapes shared a call and were padded to the largest; {@code called / real} over a run
     * is the padding cost. Reported for calls whose items' shapes are known (image tensors).
     */
    default void elements(String model, long real, long called) {}

    /**
     * The model's warm-up ended: it serves batches of up to {@code batchSize}, and the process held
     * {@code nativeBytes} more native memory after it than before (-1: unknown), see
     * {@link DynamicBatcher#nativeBytes()}.
     */
    default void warmedUp(String model, int batchSize, long nativeBytes) {}

    /** Queue depth changed. */
    default void queueDepth(String model, int depth) {}

    /** An observer that ignores every event (tests, and callers that keep no metrics). */
    BatchObserver NONE = (model, size, queueNanos, computeNanos, failed) -> {};
}
