package io.imageworker.tasks;

import io.imageworker.imaging.Preprocessor;
import io.imageworker.models.ModelCard;

/** Model card input to the preprocessing spec imaging understands. */
public final class Specs {

    private Specs() {}

    /**
     * The preprocessing spec of a card's input: size in pixels and channels as given, mean 0 and
     * std 1 (no normalisation) when the card has none, and {@code lightOnDark} (mostly light
     * images get inverted) when its polarity is {@code light-on-dark}.
     */
    public static Preprocessor.Spec of(ModelCard.Input in) {
        float[] mean = in.mean() == null ? new float[] {0f} : in.mean();
        float[] std = in.std() == null ? new float[] {1f} : in.std();
        return new Preprocessor.Spec(in.width(), in.height(), in.channels(), mean, std,
                "light-on-dark".equals(in.polarity()));
    }
}
