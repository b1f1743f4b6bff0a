package io.imageworker.training;

import io.imageworker.inference.ModelServer;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The check a running worker makes of a new model version whose card asks for it
 * ({@code updateCheck}): the task's evaluation ({@link Evaluations}, the one {@code evaluate} runs)
 * on the first {@code examples} examples of the held-out data the application carries, each
 * measured metric held to the bar the new card records for it ({@link ModelCard.Metric#meets}, as
 * {@code BuiltInModelsTest} holds the built-in models), on a second copy of the weights loaded for
 * the measurement and closed after it. A bean, so that the worker gets it without
 * its pipeline depending on training.
 */
@ApplicationScoped
public class CardBarCheck implements ModelServer.UpdateCheck {

    /**
     * One line per metric below its bar, or one saying that no metric with a bar was measured (a
     * check that checks nothing would let any weights through).
     *
     * @throws IOException when the evaluation data cannot be read
     * @throws IllegalArgumentException when the task has no evaluation
     */
    @Override
    public List<String> shortfalls(LoadedModel candidate, ModelRepository repository) throws IOException {
        ModelCard card = candidate.card();
        int examples = Math.max(1, card.updateCheck().examples());
        List<ModelCard.Metric> measured;
        // A copy of its own: the served one's network may be wrapped for serving (an out-of-distribution tap).
        try (LoadedModel fresh = io.imageworker.models.ModelLoader.load(candidate.dir(), candidate.device())) {
            measured = Evaluations.forTask(card.task()).evaluate(fresh, repository, examples);
        }
        List<String> out = new ArrayList<>();
        int held = 0;
        for (ModelCard.Metric m : measured) {
            ModelCard.Metric recorded = card.metric(m.name());
            if (recorded == null || recorded.bar() == null) {
                continue;
            }
            held++;
            if (!recorded.meets(m.value())) {
                out.add(String.format(Locale.ROOT, "%s %.4f on %s is %s its bar %.4f", m.name(), m.value(), m.data(),
                        recorded.lowerIsBetter() ? "above" : "below", recorded.bar()));
            }
        }
        if (held == 0) {
            out.add("its card asks for an update check but none of the metrics measured (" + measured.stream()
                    .map(ModelCard.Metric::name).toList() + ") has a bar on the card");
        }
        return out;
    }
}
