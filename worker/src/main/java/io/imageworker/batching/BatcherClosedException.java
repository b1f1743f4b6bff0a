package io.imageworker.batching;

/** The batcher is stopping and takes no more items; items still queued fail with this. */
public class BatcherClosedException extends IllegalStateException {
    /** @param model id of the model whose batcher is shut down, for the message */
    public BatcherClosedException(String model) {
        super("batcher for " + model + " is shut down");
    }
}
