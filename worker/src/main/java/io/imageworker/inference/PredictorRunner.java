package io.imageworker.inference;

import ai.djl.inference.Predictor;
import io.imageworker.batching.BatchRunner;
import io.imageworker.models.LoadedModel;
import ai.djl.translate.Translator;
import java.util.List;

/**
 * Runs batches through one DJL {@link Predictor}, opened and closed on the batcher's thread. The
 * predictor gives each call its own NDManager, closed when the call returns, so no native memory
 * outlives a batch.
 */
final class PredictorRunner<I, O> implements BatchRunner<I, O> {

    private final Predictor<I, O> predictor;

    PredictorRunner(LoadedModel model, Translator<I, O> translator) {
        this.predictor = model.newPredictor(translator);
    }

    @Override
    public List<O> run(List<I> inputs) throws Exception {
        return predictor.batchPredict(inputs);
    }

    @Override
    public void close() {
        predictor.close();
    }
}
