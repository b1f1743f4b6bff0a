package io.imageworker.tasks;

import ai.djl.translate.Translator;
import io.imageworker.inference.ModelServer;
import io.imageworker.models.ModelCard;
import java.util.Map;

/** Serves each model with the translator of the task its card names, among the given tasks. */
public final class TaskTranslation implements ModelServer.Translation {

    private final Map<String, TaskHandler> tasks;

    /** @param tasks the served tasks by name */
    public TaskTranslation(Map<String, TaskHandler> tasks) {
        this.tasks = Map.copyOf(tasks);
    }

    @Override
    public Translator<?, ?> translator(ModelCard card) {
        return handler(card).translator(card);
    }

    @Override
    public Object sampleInput(ModelCard card) {
        return handler(card).sampleInput(card);
    }

    private ServesModels handler(ModelCard card) {
        TaskHandler t = tasks.get(card.task());
        if (t == null) {
            throw new IllegalArgumentException("model " + card.id() + " has task '" + card.task()
                    + "' which this worker does not serve (it serves " + new java.util.TreeSet<>(tasks.keySet()) + ")");
        }
        if (!(t instanceof ServesModels s)) {
            // As the old default translator() said: a task without a model serves none.
            throw new IllegalArgumentException("task " + t.task() + " serves no model (model " + card.id() + ")");
        }
        return s;
    }
}
