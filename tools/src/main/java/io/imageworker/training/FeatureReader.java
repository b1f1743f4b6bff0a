package io.imageworker.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.models.LoadedModel;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Runs a sequential classifier in inference mode over many inputs and keeps, per input, its logits
 * and its penultimate features (the input of the last layer), which the out-of-distribution scores
 * are computed from. Works in sub-managers per batch so no native memory outlives a batch.
 */
public final class FeatureReader {

    private static final int BATCH = 500;

    /**
     * Logits and features of {@code n} inputs.
     *
     * @param logits {@code n x classes}
     * @param features {@code n x dim}
     */
    public record Readout(float[][] logits, float[][] features) {}

    private FeatureReader() {}

    /** Reads {@code inputs} (all of one shape) through {@code model}, whose block must be a {@link SequentialBlock}. */
    public static Readout read(LoadedModel model, List<ImageTensor> inputs) {
        if (inputs.isEmpty()) {
            return new Readout(new float[0][], new float[0][]);
        }
        ImageTensor first = inputs.get(0);
        return read(model, inputs.size(), i -> inputs.get(i).data(), first.channels(), first.height(), first.width());
    }

    /**
     * Reads {@code n} inputs of shape {@code (channels, height, width)}, input {@code i} from
     * {@code source.apply(i)}, in batches of {@value #BATCH}: the last layer's input is the features,
     * its output the logits.
     *
     * @throws IllegalArgumentException when the model's block is not a {@link SequentialBlock}
     */
    public static Readout read(LoadedModel model, int n, IntFunction<float[]> source, int channels, int height, int width) {
        if (!(model.model().getBlock() instanceof SequentialBlock seq)) {
            throw new IllegalArgumentException(model.card().id() + " is not a sequential network");
        }
        List<Block> layers = seq.getChildren().values();
        float[][] logits = new float[n][];
        float[][] features = new float[n][];
        int size = channels * height * width;
        try (NDManager manager = model.model().getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            for (int start = 0; start < n; start += BATCH) {
                int b = Math.min(BATCH, n - start);
                float[] x = new float[b * size];
                for (int i = 0; i < b; i++) {
                    System.arraycopy(source.apply(start + i), 0, x, i * size, size);
                }
                try (NDManager batch = manager.newSubManager()) {
                    NDList h = new NDList(batch.create(x, new Shape(b, channels, height, width)));
                    for (int l = 0; l < layers.size() - 1; l++) {
                        h = layers.get(l).forward(store, h, false);
                    }
                    NDArray f = h.singletonOrThrow();
                    NDArray z = layers.get(layers.size() - 1).forward(store, h, false).singletonOrThrow();
                    split(f.toFloatArray(), b, features, start);
                    split(z.toFloatArray(), b, logits, start);
                }
            }
        }
        return new Readout(logits, features);
    }

    private static void split(float[] flat, int rows, float[][] out, int offset) {
        int dim = flat.length / rows;
        for (int i = 0; i < rows; i++) {
            float[] row = new float[dim];
            System.arraycopy(flat, i * dim, row, 0, dim);
            out[offset + i] = row;
        }
    }
}
