package io.imageworker.batching;

import java.util.List;

/**
 * Runs one batch through a model on the batcher's own thread. Implementations hold the thread's
 * predictor; {@link #close()} is called on that same thread when the batcher stops.
 *
 * @param <I> model input per item
 * @param <O> model output per item
 */
public interface BatchRunner<I, O> extends AutoCloseable {

    /** Outputs in input order, exactly one per input. */
    List<O> run(List<I> inputs) throws Exception;

    @Override
    void close();
}
