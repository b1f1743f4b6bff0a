package io.imageworker.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.imageworker.models.ModelCard;

/**
 * Reads a model's declared output from what the engine returned: the card's {@code output.name}
 * when it names one (ONNX graphs often have several outputs), else the first, and whether it still
 * needs its activation.
 */
public final class ModelOutputs {

    private ModelOutputs() {}

    /**
     * The output {@code card} declares, for one item (the batch axis already split off).
     *
     * @throws IllegalStateException when the card names an output the engine did not return
     */
    public static NDArray pick(NDList list, ModelCard card) {
        String name = card.output() == null ? null : card.output().name();
        if (name == null) {
            return list.get(0);
        }
        NDArray named = list.get(name);
        if (named != null) {
            return named;
        }
        java.util.List<String> names = list.stream().map(NDArray::getName).toList();
        throw new IllegalStateException("model " + card.id() + " declares output '" + name + "' but the engine returned " + names);
    }

    /** The card's output activation ({@code logits} unless declared). */
    public static String activation(ModelCard card) {
        return card.output() == null ? ModelCard.Output.LOGITS : card.output().activationOrDefault();
    }
}
