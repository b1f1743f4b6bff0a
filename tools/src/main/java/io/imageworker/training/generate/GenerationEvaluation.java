package io.imageworker.training.generate;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.imageworker.tasks.generate.GenerateTranslator;
import io.imageworker.tasks.generate.GeneratedImage;
import io.imageworker.tasks.generate.GeneratorInput;
import io.imageworker.tasks.generate.Latents;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.training.ModelEvaluation;
import io.imageworker.datasets.Mnist;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Generation quality, measured with the project's own best classifier ({@link ClassifierProbe}) on
 * 10,000 generated digits (1,000 per class; image {@code i} is class {@code i % 10} from latent seed
 * {@code LATENT_SEED + i}), produced through the translator the worker serves with: accuracy for
 * the requested labels, the classifier-based Inception Score, and the Frechet distance between the
 * classifier's penultimate features of generated and MNIST test digits. The test set's own Inception
 * Score is reported beside them.
 */
public final class GenerationEvaluation implements ModelEvaluation {

    /** The shared instance (ServiceLoader makes its own). */
    public static final GenerationEvaluation INSTANCE = new GenerationEvaluation();

    /** The task whose models this evaluation measures. */
    public static final String TASK = "generate";
    /** Generated digits measured, 1,000 per class ({@code --limit} takes fewer). */
    public static final int SAMPLES = 10_000;
    /** Seed of image 0's latent vector; image {@code i} uses {@code LATENT_SEED + i}. */
    public static final long LATENT_SEED = 1_000_000;
    /**
     * The bar for class accuracy: fraction of generated digits the classifier reads as the
     * requested class, in [0, 1].
     */
    public static final double ACCURACY_BAR = 0.95;
    /** The bar for the classifier-based Inception Score, in [1, 10] for 10 classes. */
    public static final double INCEPTION_BAR = 9.0;
    private static final int BATCH = 500;

    /** For {@link java.util.ServiceLoader}, which finds the evaluations; use {@link #INSTANCE}. */
    public GenerationEvaluation() {}

    /** {@value #TASK}. */
    @Override
    public String task() {
        return TASK;
    }

    @Override
    public List<ModelCard.Metric> evaluate(LoadedModel model, int limit) throws IOException {
        int n = limit > 0 ? Math.min(limit, SAMPLES) : SAMPLES;
        try (ClassifierProbe probe = ClassifierProbe.builtIn()) {
            return measure(model.model(), model.device(), model.card(), probe, Mnist.bundledTestSet(), n);
        }
    }

    /** The metrics a card records, for {@code n} generated digits and the first {@code n} test digits. */
    public static List<ModelCard.Metric> measure(Model generator, Device device, ModelCard card, ClassifierProbe probe,
            Mnist test, int n) {
        int latent = card.intOption("latent", GenerateTranslator.DEFAULT_LATENT);
        int classes = card.intOption("classes", GenerateTranslator.DEFAULT_CLASSES);
        double truncation = card.taskOption(Latents.TRUNCATION_OPTION, 0);
        List<float[]> images = generate(generator, device, latent, classes, truncation, n);
        int[] requested = new int[n];
        for (int i = 0; i < n; i++) {
            requested[i] = i % classes;
        }
        ClassifierProbe.Readout fake = probe.read(n, images::get);
        Mnist real = test.head(n);
        ClassifierProbe.Readout truth = probe.read(real.count(), real::image);
        String data = n + " generated digits (" + n / classes + " per class, latent seeds " + LATENT_SEED + "+i"
                + (truncation > 0 ? ", truncated at " + truncation + " sd" : "") + "), read by " + probe.id();
        String vsTest = data + ", vs the first " + real.count() + " MNIST test digits, penultimate-layer features";
        return List.of(
                new ModelCard.Metric("class-accuracy", fake.accuracy(requested), data + ", requested label = arg-max",
                        ACCURACY_BAR),
                new ModelCard.Metric("inception-score", InceptionScore.of(fake.probabilities()), data, INCEPTION_BAR),
                new ModelCard.Metric("frechet-distance", FeatureStats.frechet(fake.features(), truth.features()), vsTest,
                        null),
                new ModelCard.Metric("test-set-inception-score", InceptionScore.of(truth.probabilities()),
                        "the first " + real.count() + " MNIST test digits, read by " + probe.id(), null));
    }

    /** Images {@code 0..n-1} of the evaluation set, 28x28 in [0, 1]. */
    public static List<float[]> generate(Model generator, Device device, int latent, int classes, double truncation, int n) {
        List<float[]> out = new ArrayList<>(n);
        try (Predictor<GeneratorInput, GeneratedImage> predictor =
                generator.newPredictor(new GenerateTranslator(latent, classes), device)) {
            for (int start = 0; start < n; start += BATCH) {
                int end = Math.min(n, start + BATCH);
                List<GeneratorInput> inputs = new ArrayList<>(end - start);
                for (int i = start; i < end; i++) {
                    inputs.add(new GeneratorInput(Latents.fromSeed(LATENT_SEED + i, latent, truncation), i % classes));
                }
                predictor.batchPredict(inputs).forEach(img -> out.add(img.pixels()));
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("generation failed: " + e.getMessage(), e);
        }
        return out;
    }
}
