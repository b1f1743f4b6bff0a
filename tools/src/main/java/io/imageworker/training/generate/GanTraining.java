package io.imageworker.training.generate;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import io.imageworker.tasks.generate.GenerateTranslator;
import io.imageworker.tasks.generate.GeneratorInput;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.arch.Architectures;
import io.imageworker.models.arch.GanNets;
import io.imageworker.training.checksums.Checksums;
import io.imageworker.training.ExponentialDecay;
import io.imageworker.training.ModelWriter;
import io.imageworker.training.TrainRequest;
import io.imageworker.training.TrainingLog;
import io.imageworker.datasets.Mnist;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Trains the class-conditional DCGAN and measures the generator with the built-in classifier.
 *
 * <p>Two models, two trainers, two optimizers. The discriminator's step makes the fakes inside its
 * own gradient collector and stops their gradient, so only D's gradients are written; the
 * generator's step back-propagates through D but only G's trainer steps. (Batch norm's training
 * mode follows autograd recording, so both forwards must run inside a collector.)
 */
final class GanTraining {

    /** Steps at the end that refresh the generator's batch-norm statistics for its final weights. */
    static final int BN_REFRESH_STEPS = 50;

    private static final Loss BCE = new SigmoidBinaryCrossEntropyLoss("bce");
    private static final Loss CE = new SoftmaxCrossEntropyLoss("ce");

    private final GanRecipe recipe;

    GanTraining(GanRecipe recipe) {
        this.recipe = recipe;
    }

    /** The generator and discriminator with their trainers. */
    static final class Pair implements AutoCloseable {
        final Model g;
        final Model d;
        final Trainer tg;
        final Trainer td;
        final int latent;
        final int classes;
        final int batch;

        Pair(GanRecipe recipe, int totalSteps) {
            latent = ((Number) recipe.options().get("latent")).intValue();
            classes = ((Number) recipe.options().get("classes")).intValue();
            batch = recipe.batchSize();
            g = Model.newInstance("generator", Device.cpu());
            d = Model.newInstance("discriminator", Device.cpu());
            g.setBlock(Architectures.build(GanRecipe.ARCHITECTURE, recipe.options()));
            d.setBlock(GanNets.discriminator(classes, recipe.discriminatorWidth()));
            tg = g.newTrainer(config(recipe, totalSteps));
            td = d.newTrainer(config(recipe, totalSteps));
            tg.initialize(new Shape(batch, latent + classes));
            td.initialize(new Shape(batch, 1, GanNets.SIDE, GanNets.SIDE));
        }

        private static DefaultTrainingConfig config(GanRecipe recipe, int totalSteps) {
            return new ExponentialDecay(recipe.lrStart(), recipe.lrEnd(), Math.max(1, totalSteps) / recipe.lrFolds())
                    .adam(new SigmoidBinaryCrossEntropyLoss("bce"), recipe.beta1());
        }

        @Override
        public void close() {
            tg.close();
            td.close();
            g.close();
            d.close();
        }
    }

    /** Losses of one step. */
    record StepLoss(float d, float g) {}

    /**
     * One discriminator step then one generator step.
     *
     * @param real (N, 1, 28, 28) in [-1, 1]
     * @param realLabels (N) classes of the real digits
     * @param noise (N, latent + classes): latent vectors and one-hot requested classes
     * @param fakeLabels (N) the requested classes
     */
    static StepLoss step(Pair p, GanRecipe recipe, NDArray real, NDArray realLabels, NDArray noise, NDArray fakeLabels) {
        float d = discriminatorStep(p, recipe, real, realLabels, noise);
        float g = generatorStep(p, recipe, noise, fakeLabels);
        return new StepLoss(d, g);
    }

    /**
     * Updates D only: real digits towards "real" (smoothed) and their class, fakes towards "fake".
     * D's class head learns from real digits only: trained on fakes with their requested classes
     * too (the original AC-GAN), G and D can agree on class cues no real digit has, and the first
     * run of this recipe drew the requested digit only 68% of the time by the project's classifier.
     * The fakes are made inside D's collector with their gradient stopped.
     */
    static float discriminatorStep(Pair p, GanRecipe recipe, NDArray real, NDArray realLabels, NDArray noise) {
        NDManager m = real.getManager();
        NDArray smooth = m.full(new Shape(p.batch), recipe.realLabel());
        NDArray zeros = m.zeros(new Shape(p.batch));
        float value;
        try (GradientCollector gc = p.td.newGradientCollector()) {
            NDArray fake = p.tg.forward(new NDList(noise)).singletonOrThrow().stopGradient();
            NDArray outReal = p.td.forward(new NDList(real)).singletonOrThrow();
            NDArray outFake = p.td.forward(new NDList(fake)).singletonOrThrow();
            NDArray loss = BCE.evaluate(new NDList(smooth), new NDList(outReal.get(":, 0")))
                    .add(BCE.evaluate(new NDList(zeros), new NDList(outFake.get(":, 0"))))
                    .add(CE.evaluate(new NDList(realLabels), new NDList(outReal.get(":, 1:"))));
            gc.backward(loss);
            value = loss.getFloat();
        }
        p.td.step();
        return value;
    }

    /**
     * Updates G only: its fakes towards D's "real" and their requested class (that term weighted by
     * the recipe's classWeight), back-propagated through D.
     */
    static float generatorStep(Pair p, GanRecipe recipe, NDArray noise, NDArray fakeLabels) {
        NDArray ones = noise.getManager().ones(new Shape(p.batch));
        float value;
        try (GradientCollector gc = p.tg.newGradientCollector()) {
            NDArray fake = p.tg.forward(new NDList(noise)).singletonOrThrow();
            NDArray out = p.td.forward(new NDList(fake)).singletonOrThrow();
            NDArray loss = BCE.evaluate(new NDList(ones), new NDList(out.get(":, 0")))
                    .add(CE.evaluate(new NDList(fakeLabels), new NDList(out.get(":, 1:"))).mul(recipe.classWeight()));
            gc.backward(loss);
            value = loss.getFloat();
        }
        p.tg.step();
        return value;
    }

    ModelCard run(TrainRequest req, TrainingLog log) throws IOException {
        Mnist train = Mnist.read(req.data(), Mnist.Split.TRAIN);
        if (req.limit() > 0) {
            train = train.head(req.limit());
        }
        int samples = req.evalLimit() > 0 ? Math.min(req.evalLimit(), GenerationEvaluation.SAMPLES)
                : GenerationEvaluation.SAMPLES;
        long started = System.nanoTime();
        Engine.getInstance().setRandomSeed(req.seed());
        Path dir = ModelWriter.versionDir(req.out(), req.modelName(), req.version());
        int bs = recipe.batchSize();
        int steps = Math.max(1, train.count() / bs);
        try (Pair p = new Pair(recipe, steps * req.epochs())) {
            fit(p, train, steps, req, log);
            refreshBatchNorm(p, new Random(req.seed() + 1));
            ModelWriter.write(dir, p.g, card(req, Map.of(), List.of(), 0));
        }
        List<ModelCard.Metric> metrics;
        try (LoadedModel loaded = ModelLoader.load(dir, Device.cpu()); ClassifierProbe probe = ClassifierProbe.builtIn()) {
            metrics = GenerationEvaluation.measure(loaded.model(), loaded.device(), loaded.card(), probe,
                    Mnist.read(req.data(), Mnist.Split.TEST), samples);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Path> files = new ArrayList<>(List.of(Mnist.files(req.data(), Mnist.Split.TRAIN)));
        files.addAll(List.of(Mnist.files(req.data(), Mnist.Split.TEST)));
        ModelCard card = card(req, Checksums.of(files.toArray(Path[]::new)), metrics, seconds);
        ModelLoader.writeCard(dir, card);
        StringBuilder line = new StringBuilder(recipe.name() + ":");
        metrics.forEach(m -> line.append(String.format(" %s %.4f,", m.name(), m.value())));
        log.line(line + String.format(" %.0f s", seconds));
        return card;
    }

    private void fit(Pair p, Mnist train, int steps, TrainRequest req, TrainingLog log) {
        int bs = recipe.batchSize();
        int n = train.count();
        int[] order = IntStream.range(0, n).toArray();
        Random rnd = new Random(req.seed());
        float[] x = new float[bs * Mnist.PIXELS];
        float[] y = new float[bs];
        float[] z = new float[bs * (p.latent + p.classes)];
        float[] yf = new float[bs];
        int logEvery = Math.max(1, Math.min(200, steps / 4));
        for (int epoch = 1; epoch <= req.epochs(); epoch++) {
            shuffle(order, rnd);
            double dSum = 0;
            double gSum = 0;
            double dStretch = 0;
            double gStretch = 0;
            int stretch = 0;
            long t0 = System.nanoTime();
            for (int step = 0; step < steps; step++) {
                for (int b = 0; b < bs; b++) {
                    int i = order[(step * bs + b) % n];
                    train.copyImage(i, x, b * Mnist.PIXELS);
                    y[b] = train.label(i);
                }
                for (int k = 0; k < x.length; k++) {
                    x[k] = x[k] * 2f - 1f;
                }
                noise(rnd, p.latent, p.classes, z, yf);
                StepLoss l;
                try (NDManager batch = p.tg.getManager().newSubManager()) {
                    l = step(p, recipe, batch.create(x, new Shape(bs, 1, Mnist.SIDE, Mnist.SIDE)), batch.create(y),
                            batch.create(z, new Shape(bs, p.latent + p.classes)), batch.create(yf));
                }
                dSum += l.d();
                gSum += l.g();
                dStretch += l.d();
                gStretch += l.g();
                if (++stretch == logEvery) {
                    log.line(String.format("%s epoch %d step %d/%d: D loss %.4f, G loss %.4f, %.0f ms/step", recipe.name(),
                            epoch, step + 1, steps, dStretch / stretch, gStretch / stretch,
                            (System.nanoTime() - t0) / 1e6 / (step + 1)));
                    dStretch = 0;
                    gStretch = 0;
                    stretch = 0;
                }
            }
            // D's loss is the one that falls steadily (G's rises while D learns to tell fakes apart).
            log.loss(dSum / steps);
            log.line(String.format("%s epoch %d/%d: D loss %.4f, G loss %.4f, %.1f s", recipe.name(), epoch,
                    req.epochs(), dSum / steps, gSum / steps, (System.nanoTime() - t0) / 1e9));
        }
    }

    /**
     * Runs the generator in training mode (no update) so that its batch-norm running statistics
     * describe its final weights; inference then matches what training saw.
     */
    private void refreshBatchNorm(Pair p, Random rnd) {
        int bs = recipe.batchSize();
        float[] z = new float[bs * (p.latent + p.classes)];
        float[] yf = new float[bs];
        for (int s = 0; s < BN_REFRESH_STEPS; s++) {
            noise(rnd, p.latent, p.classes, z, yf);
            try (NDManager batch = p.tg.getManager().newSubManager();
                    GradientCollector gc = p.tg.newGradientCollector()) {
                p.tg.forward(new NDList(batch.create(z, new Shape(bs, p.latent + p.classes))));
            }
        }
    }

    /** Gaussian latents and uniformly drawn classes, encoded as the generator takes them. */
    static void noise(Random rnd, int latent, int classes, float[] z, float[] labels) {
        int width = latent + classes;
        for (int b = 0; b < labels.length; b++) {
            float[] v = new float[latent];
            for (int k = 0; k < latent; k++) {
                v[k] = (float) rnd.nextGaussian();
            }
            int label = rnd.nextInt(classes);
            labels[b] = label;
            System.arraycopy(GenerateTranslator.encode(new GeneratorInput(v, label), latent, classes), 0, z, b * width,
                    width);
        }
    }

    private ModelCard card(TrainRequest req, Map<String, String> data, List<ModelCard.Metric> metrics, double seconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("recipe", recipe.name());
        r.put("description", recipe.description());
        r.put("epochs", req.epochs());
        r.put("batchSize", recipe.batchSize());
        r.put("optimizer", Map.of("name", "adam", "beta1", recipe.beta1(), "separate", "one per network"));
        r.put("learningRate", Map.of("start", recipe.lrStart(), "end", recipe.lrEnd(), "folds", recipe.lrFolds()));
        r.put("discriminatorWidth", recipe.discriminatorWidth());
        r.put("realLabel", recipe.realLabel());
        r.put("classWeight", recipe.classWeight());
        r.put("batchNormRefreshSteps", BN_REFRESH_STEPS);
        r.put("trainingExamples", req.limit() > 0 ? req.limit() : 60000);
        r.put("seed", req.seed());
        r.put("wallSeconds", Math.round(seconds));
        r.put("command", req.command(recipe.name()));
        List<String> labels = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            labels.add(Integer.toString(d));
        }
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("outputSide", GanNets.SIDE);
        options.put("outputRange", "[0, 1] after the translator (tanh output rescaled)");
        return ModelCard.builder(req.modelName(), req.version(), "generate", ModelCard.FORMAT_DJL_BLOCK)
                .architecture(GanRecipe.ARCHITECTURE).architectureOptions(recipe.options()).weights(req.modelName())
                .input(new ModelCard.Input(0, 0, 1, new float[] {0f}, new float[] {1f}, "light-on-dark"))
                .labels(labels).metrics(metrics).recipe(r).data(data).options(options).build();
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
