package io.imageworker.training.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelRepository;
import io.imageworker.models.ModelLoader;
import io.imageworker.training.data.Mnist;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The measuring instrument of the generation metrics: the project's best classifier (the built-in
 * {@code mnist-cnn-bn}), giving for each 28x28 image its class probabilities and its penultimate
 * features (the input of the output layer), in inference mode.
 */
public final class ClassifierProbe implements AutoCloseable {

    /** The built-in model the generation metrics are measured with. */
    public static final String CLASSIFIER = "mnist-cnn-bn";
    private static final int BATCH = 500;

    private final LoadedModel classifier;
    private final List<Block> layers;

    /** Probabilities and features of a set of images. */
    public record Readout(List<float[]> probabilities, FeatureStats features) {

        /** Fraction of images whose most probable class is {@code labels[i]}. */
        public double accuracy(int[] labels) {
            int right = 0;
            for (int i = 0; i < labels.length; i++) {
                float[] p = probabilities.get(i);
                int best = 0;
                for (int c = 1; c < p.length; c++) {
                    if (p[c] > p[best]) {
                        best = c;
                    }
                }
                right += best == labels[i] ? 1 : 0;
            }
            return right / (double) labels.length;
        }
    }

    private ClassifierProbe(LoadedModel classifier) {
        this.classifier = classifier;
        if (!(classifier.model().getBlock() instanceof SequentialBlock seq)) {
            throw new IllegalArgumentException(classifier.card().id() + " is not a sequential network");
        }
        this.layers = seq.getChildren().values();
    }

    /** Opens the built-in classifier. */
    public static ClassifierProbe builtIn() throws IOException {
        ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH,
                Files.createTempDirectory("image-worker-probe"));
        return new ClassifierProbe(ModelLoader.load(repo.resolve(CLASSIFIER).dir(), ai.djl.Device.cpu()));
    }

    /** {@code name:version} of the classifier. */
    public String id() {
        return classifier.card().id();
    }

    /** Reads {@code n} images of 28x28 values in [0, 1], image {@code i} from {@code source.image(i)}. */
    public Readout read(int n, java.util.function.IntFunction<float[]> source) {
        List<float[]> probs = new ArrayList<>(n);
        FeatureStats stats = null;
        float[] x = new float[BATCH * Mnist.PIXELS];
        try (NDManager manager = classifier.model().getNDManager().newSubManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            for (int start = 0; start < n; start += BATCH) {
                int b = Math.min(BATCH, n - start);
                for (int i = 0; i < b; i++) {
                    System.arraycopy(source.apply(start + i), 0, x, i * Mnist.PIXELS, Mnist.PIXELS);
                }
                try (NDManager batch = manager.newSubManager()) {
                    NDList h = new NDList(batch.create(x, new Shape(BATCH, 1, Mnist.SIDE, Mnist.SIDE))
                            .get("0:" + b));
                    for (int l = 0; l < layers.size() - 1; l++) {
                        h = layers.get(l).forward(store, h, false);
                    }
                    NDArray features = h.singletonOrThrow();
                    NDArray p = layers.get(layers.size() - 1).forward(store, h, false).singletonOrThrow().softmax(-1);
                    int dim = (int) features.getShape().get(1);
                    float[] f = features.toFloatArray();
                    float[] pr = p.toFloatArray();
                    int k = pr.length / b;
                    if (stats == null) {
                        stats = new FeatureStats(dim);
                    }
                    for (int i = 0; i < b; i++) {
                        float[] row = new float[dim];
                        System.arraycopy(f, i * dim, row, 0, dim);
                        stats.add(row);
                        float[] pi = new float[k];
                        System.arraycopy(pr, i * k, pi, 0, k);
                        probs.add(pi);
                    }
                }
            }
        }
        return new Readout(probs, stats);
    }

    @Override
    public void close() {
        classifier.close();
    }
}
