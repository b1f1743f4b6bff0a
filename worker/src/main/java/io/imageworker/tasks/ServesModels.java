package io.imageworker.tasks;

import ai.djl.translate.Translator;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.models.ModelCard;

/**
 * Role of a task that runs a model (every task but properties and annotate): the worker loads the
 * job's model, or the task's {@link TaskHandler#defaultModel()}, and serves it with this task's
 * translator. A task without this role gets no model ({@code null} in {@link TaskHandler#validate}).
 */
public interface ServesModels extends TaskHandler {

    /**
     * The DJL translator this task serves {@code card}'s model with: one preprocessed input to one
     * output, batched by the engine's batchifier.
     *
     * @throws IllegalArgumentException for a card this task cannot serve
     */
    Translator<?, ?> translator(ModelCard card);

    /**
     * A blank input of {@code card}'s model, of the type {@link #translator} takes, to warm it up with
     * (every batch size run once). The default is an image tensor of the card's input shape, zeros.
     */
    default Object sampleInput(ModelCard card) {
        ModelCard.Input in = card.input();
        return new ImageTensor(new float[in.channels() * in.height() * in.width()], in.channels(), in.height(), in.width());
    }
}
