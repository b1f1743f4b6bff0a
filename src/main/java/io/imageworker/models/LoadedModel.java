package io.imageworker.models;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.Translator;
import java.nio.file.Path;

/**
 * A model's weights in native memory on one device, with its card. Shared by every job that uses
 * the model; each inference thread opens its own {@link Predictor} (predictors are not thread-safe).
 */
public final class LoadedModel implements AutoCloseable {

    private final ModelCard card;
    private final Model model;
    private final Device device;
    private final Path dir;

    LoadedModel(ModelCard card, Model model, Device device, Path dir) {
        this.card = card;
        this.model = model;
        this.device = device;
        this.dir = dir;
    }

    /** The version folder the model was read from (files beside the weights, such as a detector's parameters). */
    public Path dir() {
        return dir;
    }

    /** The card read from the version folder's {@code model.json}. */
    public ModelCard card() {
        return card;
    }

    /** The device the weights were loaded on; predictors run there. */
    public Device device() {
        return device;
    }

    /** The DJL model, for training code that continues from these weights. */
    public Model model() {
        return model;
    }

    /** A new predictor; the caller closes it. */
    public <I, O> Predictor<I, O> newPredictor(Translator<I, O> translator) {
        return model.newPredictor(translator, device);
    }

    @Override
    public void close() {
        model.close();
    }
}
