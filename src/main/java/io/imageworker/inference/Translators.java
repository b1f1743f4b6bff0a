package io.imageworker.inference;

import ai.djl.translate.Translator;
import io.imageworker.inference.classify.ClassifyTranslator;
import io.imageworker.models.ModelCard;

/** The translator each task serves its models with. */
public final class Translators {

    private Translators() {}

    public static Translator<?, ?> forTask(ModelCard card) {
        return switch (card.task()) {
            case "classify" -> new ClassifyTranslator();
            default -> throw new IllegalArgumentException("model " + card.id() + " has task '" + card.task()
                    + "' which this worker cannot serve");
        };
    }
}
