package io.imageworker.batching;

/** The batcher is stopping and takes no more items; items still queued fail with this. */
public class BatcherClosedException extends IllegalStateException {
    public BatcherClosedException(String model) {
        super("batcher for " + model + " is shut down");
    }
}
