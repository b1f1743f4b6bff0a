package io.imageworker.training;

import io.imageworker.models.ModelCard;
import java.io.IOException;

/** One reproducible way of training a model: {@code train --recipe NAME}. */
public interface Recipe {

    /** The name {@code train --recipe} takes. */
    String name();

    /** classify, segment, localize or generate. */
    String task();

    /** One line for {@code train --help}. */
    String description();

    /** Epochs when the command does not say. */
    int defaultEpochs();

    /** Trains, measures on held-out data, writes weights and {@code model.json}; returns the card. */
    ModelCard train(TrainRequest request, TrainingLog log) throws IOException;
}
