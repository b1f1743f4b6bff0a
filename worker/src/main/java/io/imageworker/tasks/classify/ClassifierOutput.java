package io.imageworker.tasks.classify;

/**
 * What the classify translator returns for one image.
 *
 * @param probabilities softmax of the logits, one per class
 * @param logits the network's outputs before softmax
 * @param features penultimate features (the last layer's input), or null when the model is not
 *     served with a {@link PenultimateTap}
 */
public record ClassifierOutput(float[] probabilities, float[] logits, float[] features) {}
