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
     * The task whose models this evaluation measures (a model card's {@code task}); evaluations are
     * found by {@link java.util.ServiceLoader} and keyed by it ({@link Evaluations#forTask}).
     */
    String task();

    /**
     * True when an imported model of this task is measured by default ({@code import --evaluate}):
     * for an evaluation that is parity with the recorded original (safe-search); false (the default)
     * for evaluations of the project's own models.
     */
    default boolean measuresImports() {
        return false;
    }

    /**
     * The class names an imported model of this task has in output order when the import names none
     * (the original's whose outputs the evaluation's parity set records), or null: none by default.
     */
    default java.util.List<String> importLabels() {
        return null;
    }

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
