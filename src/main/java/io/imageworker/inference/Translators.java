package io.imageworker.inference;

import ai.djl.translate.Translator;
import io.imageworker.inference.classify.ClassifyTranslator;
import io.imageworker.models.ModelCard;

/** The translator each task serves its models with, and an input to warm each up with. */
public final class Translators {

    private Translators() {}

    /** A blank input of the model's shape, for warm-up. */
    public static Object sampleInput(ModelCard card) {
        ModelCard.Input in = card.input();
        return new io.imageworker.imaging.ImageTensor(new float[in.channels() * in.height() * in.width()], in.channels(),
                in.height(), in.width());
    }

    public static Translator<?, ?> forTask(ModelCard card) {
        return switch (card.task()) {
            case "classify" -> new ClassifyTranslator();
            default -> throw new IllegalArgumentException("model " + card.id() + " has task '" + card.task()
                    + "' which this worker cannot serve");
        };
    }
}
