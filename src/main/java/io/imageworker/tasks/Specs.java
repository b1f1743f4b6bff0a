package io.imageworker.tasks;

import io.imageworker.imaging.Preprocessor;
import io.imageworker.models.ModelCard;

/** Model card input to the preprocessing spec imaging understands. */
public final class Specs {

    private Specs() {}

    /**
     * The preprocessing spec of a card's input (see {@link ModelCard.Input#spec()}): size in pixels
     * and channels as given, mean 0 and std 1 when the card has none, and {@code lightOnDark} when
     * its polarity is {@code light-on-dark}.
     */
    public static Preprocessor.Spec of(ModelCard.Input in) {
        return in.spec();
    }
}
