package io.imageworker.pipeline;

import io.imageworker.imaging.Preprocessor;
import io.imageworker.models.ModelCard;

/** Model card input to the preprocessing spec imaging understands. */
final class Specs {

    private Specs() {}

    static Preprocessor.Spec of(ModelCard.Input in) {
        return in.spec();
    }
}
