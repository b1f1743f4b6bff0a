package io.imageworker.inference;

import ai.djl.translate.Translator;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.inference.classify.ClassifyTranslator;
import io.imageworker.inference.generate.GenerateTranslator;
import io.imageworker.inference.generate.GeneratorInput;
import io.imageworker.inference.localize.LocalizeTranslator;
import io.imageworker.inference.segment.SegmentTranslator;
import io.imageworker.models.ModelCard;

/** The translator each task serves its models with, and an input to warm each up with. */
public final class Translators {

    private Translators() {}

    /** A blank input of the model's shape, for warm-up. */
    public static Object sampleInput(ModelCard card) {
        if ("generate".equals(card.task())) {
            return new GeneratorInput(new float[card.intOption("latent", GenerateTranslator.DEFAULT_LATENT)], 0);
        }
        ModelCard.Input in = card.input();
        return new ImageTensor(new float[in.channels() * in.height() * in.width()], in.channels(), in.height(), in.width());
    }

    public static Translator<?, ?> forTask(ModelCard card) {
        return switch (card.task()) {
            case "classify" -> new ClassifyTranslator();
            case "segment" -> new SegmentTranslator();
            case "localize" -> new LocalizeTranslator();
            case "generate" -> new GenerateTranslator(card.intOption("latent", GenerateTranslator.DEFAULT_LATENT),
                    card.intOption("classes", GenerateTranslator.DEFAULT_CLASSES));
            default -> throw new IllegalArgumentException("model " + card.id() + " has task '" + card.task()
                    + "' which this worker cannot serve");
        };
    }
}
