package io.imageworker.training.generate;

import io.imageworker.inference.ood.OodScores;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelRepository;
import io.imageworker.models.ModelLoader;
import io.imageworker.training.FeatureReader;
import io.imageworker.datasets.Mnist;
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

    private final LoadedModel classifier;

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
        FeatureReader.Readout r = FeatureReader.read(classifier, n, source, 1, Mnist.SIDE, Mnist.SIDE);
        List<float[]> probs = new ArrayList<>(n);
        FeatureStats stats = new FeatureStats(n == 0 ? 0 : r.features()[0].length);
        for (int i = 0; i < n; i++) {
            stats.add(r.features()[i]);
            probs.add(softmax(r.logits()[i]));
        }
        return new Readout(probs, stats);
    }

    private static float[] softmax(float[] z) {
        double lse = OodScores.logSumExp(z);
        float[] p = new float[z.length];
        for (int c = 0; c < z.length; c++) {
            p[c] = (float) Math.exp(z[c] - lse);
        }
        return p;
    }

    @Override
    public void close() {
        classifier.close();
    }
}
