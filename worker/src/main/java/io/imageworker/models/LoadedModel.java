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
    private final int fixedBatch;
    private final boolean onnxForm;

    LoadedModel(ModelCard card, Model model, Device device, Path dir, int fixedBatch, boolean onnxForm) {
        this.onnxForm = onnxForm;
        this.card = card;
        this.model = model;
        this.device = device;
        this.dir = dir;
        this.fixedBatch = fixedBatch;
    }

    /**
     * The batch size the graph itself fixes (an ONNX export with a static first axis, such as
     * MediaPipe's BlazeFace at 1, or a TF.js graph converted with a fixed batch, nanodet at 1), or 0 when the graph takes any batch.
     */
    public int fixedBatch() {
        return fixedBatch;
    }

    /**
     * True when several threads may call the model at once, each with its own predictor (ONNX
     * Runtime sessions take concurrent runs); the project's MXNet models are served by one thread.
     */
    public boolean concurrentCalls() {
        return ModelCard.FORMAT_ONNX.equals(card.formatOrDefault());
    }

    /**
     * True when this is the exported ONNX form of a {@code djl-block} model, served by ONNX Runtime:
     * its outputs are the MXNet form's, a classifier's penultimate features included.
     */
    public boolean onnxForm() {
        return onnxForm;
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

    /**
     * True while the weights' native memory is held: the model's root NDManager, under which DJL
     * allocates every parameter array and which closing the model closes, is open.
     */
    public boolean open() {
        return model.getNDManager().isOpen();
    }

    /**
     * Native arrays held under the model's root NDManager now (its parameters and whatever a
     * predictor left attached to it); 0 once closed.
     */
    public int nativeArrays() {
        return open() ? model.getNDManager().getManagedArrays().size() : 0;
    }

    @Override
    public void close() {
        model.close();
    }
}
