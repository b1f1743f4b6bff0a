package io.imageworker.training.classify;

import io.imageworker.training.data.Augment;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.arch.Architectures;
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

/** Trains one classifier recipe on the MNIST training set and measures it on the test set. */
final class ClassifierTraining {

    private final ClassifierRecipe recipe;

    ClassifierTraining(ClassifierRecipe recipe) {
        this.recipe = recipe;
    }

    ModelCard run(TrainRequest req, TrainingLog log) throws IOException {
        Mnist train = Mnist.read(req.data(), Mnist.Split.TRAIN);
        Mnist test = Mnist.read(req.data(), Mnist.Split.TEST);
        if (req.limit() > 0) {
            train = train.head(req.limit());
        }
        if (req.evalLimit() > 0) {
            test = test.head(req.evalLimit());
        }
        long started = System.nanoTime();
        Engine.getInstance().setRandomSeed(req.seed());
        Path dir = ModelWriter.versionDir(req.out(), req.modelName(), req.version());
        String weights = req.modelName();
        try (Model model = Model.newInstance(req.modelName(), Device.cpu())) {
            model.setBlock(Architectures.build(recipe.architecture(), recipe.options()));
            DefaultTrainingConfig config = new ExponentialDecay(recipe.lrStart(), recipe.lrEnd(), recipe.decaySteps())
                    .adam(Loss.softmaxCrossEntropyLoss());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(recipe.batchSize(), 1, Mnist.SIDE, Mnist.SIDE));
                fit(trainer, train, req, log);
            }
            ModelCard draft = card(req, weights, Map.of(), List.of(), 0);
            ModelWriter.write(dir, model, draft);
        }
        // Measure what was written, through the same translator the worker serves with.
        double accuracy;
        try (LoadedModel loaded = ModelLoader.load(dir, Device.cpu())) {
            accuracy = ClassifierEvaluation.accuracy(loaded, test);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        String testData = "MNIST test set (" + test.count() + " digits)";
        ModelCard card = card(req, weights,
                Checksums.of(concat(Mnist.files(req.data(), Mnist.Split.TRAIN), Mnist.files(req.data(), Mnist.Split.TEST))),
                List.of(new ModelCard.Metric("accuracy", accuracy, testData, null)), seconds);
        ModelLoader.writeCard(dir, card);
        log.line(String.format("%s: test accuracy %.4f on %d digits, %.0f s", recipe.name(), accuracy, test.count(), seconds));
        return card;
    }

    private void fit(Trainer trainer, Mnist train, TrainRequest req, TrainingLog log) {
        int n = train.count();
        int bs = recipe.batchSize();
        int[] order = IntStream.range(0, n).toArray();
        Random rnd = new Random(req.seed());
        float[] x = new float[bs * Mnist.PIXELS];
        float[] y = new float[bs];
        float[] digit = new float[Mnist.PIXELS];
        for (int epoch = 1; epoch <= req.epochs(); epoch++) {
            shuffle(order, rnd);
            double lossSum = 0;
            int correct = 0;
            int seen = 0;
            long t0 = System.nanoTime();
            for (int start = 0; start + bs <= n; start += bs) {
                for (int b = 0; b < bs; b++) {
                    int i = order[start + b];
                    if (recipe.shiftPixels() > 0) {
                        train.copyImage(i, digit, 0);
                        Augment.shift(digit, x, b * Mnist.PIXELS, Mnist.SIDE, rnd.nextInt(2 * recipe.shiftPixels() + 1)
                                - recipe.shiftPixels(), rnd.nextInt(2 * recipe.shiftPixels() + 1) - recipe.shiftPixels());
                    } else {
                        train.copyImage(i, x, b * Mnist.PIXELS);
                    }
                    y[b] = train.label(i);
                }
                try (NDManager batch = trainer.getManager().newSubManager()) {
                    NDArray features = batch.create(x, new Shape(bs, 1, Mnist.SIDE, Mnist.SIDE));
                    NDArray labels = batch.create(y);
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDList pred = trainer.forward(new NDList(features));
                        NDArray loss = trainer.getLoss().evaluate(new NDList(labels), pred);
                        gc.backward(loss);
                        lossSum += loss.getFloat() * bs;
                        correct += (int) pred.singletonOrThrow().argMax(1)
                                .eq(labels.toType(DataType.INT64, false)).countNonzero().getLong();
                    }
                    trainer.step();
                }
                seen += bs;
            }
            double meanLoss = lossSum / Math.max(1, seen);
            log.loss(meanLoss);
            log.line(String.format("%s epoch %d/%d: loss %.4f, train accuracy %.4f, %.1f s", recipe.name(), epoch,
                    req.epochs(), meanLoss, correct / (double) Math.max(1, seen), (System.nanoTime() - t0) / 1e9));
        }
    }

    private ModelCard card(TrainRequest req, String weights, Map<String, String> data, List<ModelCard.Metric> metrics,
            double seconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("recipe", recipe.name());
        r.put("description", recipe.description());
        r.put("epochs", req.epochs());
        r.put("batchSize", recipe.batchSize());
        r.put("optimizer", "adam");
        r.put("learningRate", Map.of("start", recipe.lrStart(), "end", recipe.lrEnd(), "decaySteps", recipe.decaySteps()));
        r.put("shiftPixels", recipe.shiftPixels());
        r.put("seed", req.seed());
        r.put("trainingExamples", req.limit() > 0 ? req.limit() : 60000);
        r.put("wallSeconds", Math.round(seconds));
        r.put("command", req.command(recipe.name()));
        List<String> labels = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            labels.add(Integer.toString(d));
        }
        return ModelCard.builder(req.modelName(), req.version(), "classify", ModelCard.FORMAT_DJL_BLOCK)
                .architecture(recipe.architecture()).architectureOptions(recipe.options()).weights(weights)
                .input(new ModelCard.Input(Mnist.SIDE, Mnist.SIDE, 1, new float[] {0f}, new float[] {1f}, "light-on-dark"))
                .labels(labels).metrics(metrics).recipe(r).data(data).build();
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static Path[] concat(Path[] a, Path[] b) {
        Path[] out = new Path[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
