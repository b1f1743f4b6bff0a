package io.imageworker.training;

import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import java.io.IOException;
import java.util.List;

/**
 * Recomputes a model's metrics on held-out data the application itself carries (the MNIST test
 * set, and scenes or canvases generated deterministically from it), through the same translators
 * the worker serves with. {@code evaluate} prints these beside the metrics the card recorded.
 */
public interface ModelEvaluation {

    /**
     * @param model the model to measure
     * @param limit at most this many evaluation examples (0: the full held-out set the card names)
     */
    List<ModelCard.Metric> evaluate(LoadedModel model, int limit) throws IOException;

    /**
     * As {@link #evaluate(LoadedModel, int)}, with the repository the model came from: evaluations of
     * models that work with companions (a text detector's recognizer) load them from it.
     */
    default List<ModelCard.Metric> evaluate(LoadedModel model, io.imageworker.models.ModelRepository repository, int limit)
            throws IOException {
        return evaluate(model, limit);
    }
}
