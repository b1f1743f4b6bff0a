package io.imageworker.training.segment;

import io.imageworker.training.data.SceneGenerator;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.arch.Architectures;
import io.imageworker.training.checksums.Checksums;
import io.imageworker.training.EpochSteps;
import io.imageworker.training.GeneratedDataRecipe;
import io.imageworker.training.ModelWriter;
import io.imageworker.training.TrainRequest;
import io.imageworker.training.TrainingLog;
import io.imageworker.datasets.Mnist;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Trains one segmentation recipe on generated scenes and measures it on test scenes. */
public final class SegmentTraining {

    /** Scenes per epoch, and the seed, of the validation scenes (training digits) logged each epoch. */
    static final int VALIDATION_SCENES = 200;
    static final long VALIDATION_SEED = 7_001;

    /** The material's three segmentation designs: FCN-8s, DeconvNet, DeepLab. */
    public static List<GeneratedDataRecipe> recipes() {
        GeneratedDataRecipe.Run run = (recipe, req, log) -> new SegmentTraining(recipe).run(req, log);
        return List.of(
                new GeneratedDataRecipe("seg-fcn", "segment",
                        "FCN-8s: VGG-like encoder (conv-conv-max pool) to 1/8, fc6 5x5 / fc7 1x1 convolutionalised"
                                + " classifier, class scores upsampled x2 by learned transposed convolutions and summed"
                                + " with 1x1 scores of the 1/4 and 1/2 pools",
                        "seg-fcn", Map.of("classes", SceneGenerator.CLASSES, "width", 16, "fc", 256, "fcKernel", 5), 12,
                        500, 32, 0.002f, 0.00002f, 3f, run),
                new GeneratedDataRecipe("seg-deconvnet", "segment",
                        "DeconvNet: VGG-like encoder (conv-conv-max pool, batch norm) to 1/8, fc6 5x5 / fc7 1x1, mirrored"
                                + " decoder unpooling to the encoder's max locations, each followed by two learned convs",
                        "seg-deconvnet", Map.of("classes", SceneGenerator.CLASSES, "width", 16, "fc", 128, "fcKernel", 5),
                        12, 500, 32, 0.002f, 0.00002f, 3f, run),
                new GeneratedDataRecipe("seg-deeplab", "segment",
                        "DeepLab-style: encoder to 1/4, atrous convs (rates 2, 4) + atrous pyramid (1, 2, 4, 8), decoder",
                        "seg-deeplab", Map.of("classes", SceneGenerator.CLASSES, "width", 16), 12, 500, 32, 0.002f,
                        0.00002f, 3f, run));
    }

    private final GeneratedDataRecipe recipe;

    SegmentTraining(GeneratedDataRecipe recipe) {
        this.recipe = recipe;
    }

    ModelCard run(TrainRequest req, TrainingLog log) throws IOException {
        Mnist trainDigits = Mnist.read(req.data(), Mnist.Split.TRAIN);
        Mnist testDigits = Mnist.read(req.data(), Mnist.Split.TEST);
        SceneGenerator trainScenes = SceneGenerator.standard(trainDigits);
        int bs = recipe.batchSize();
        int steps = recipe.steps(req);
        int evalScenes = req.evalLimit() > 0 ? Math.min(req.evalLimit(), SegmentEvaluation.TEST_SCENES)
                : SegmentEvaluation.TEST_SCENES;
        long started = System.nanoTime();
        Engine.getInstance().setRandomSeed(req.seed());
        Path dir = ModelWriter.versionDir(req.out(), req.modelName(), req.version());
        try (Model model = Model.newInstance(req.modelName(), Device.cpu())) {
            model.setBlock(Architectures.build(recipe.architecture(), recipe.options()));
            DefaultTrainingConfig config = recipe.trainingConfig(new SoftmaxCrossEntropyLoss("px", 1f, 1, true, true),
                    steps * req.epochs());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(bs, 1, SceneGenerator.SIDE, SceneGenerator.SIDE));
                fit(model, trainer, trainScenes, steps, req, log);
            }
            ModelWriter.write(dir, model, card(req, steps, Map.of(), List.of(), 0));
        }
        // Measure what was written, through the translator the worker serves with.
        SegmentationMetrics metrics;
        DigitRecall digits = new DigitRecall();
        double seconds;
        List<ModelCard.Metric> measured = new ArrayList<>();
        try (LoadedModel loaded = ModelLoader.load(dir, Device.cpu())) {
            SceneGenerator testScenes = SceneGenerator.standard(testDigits);
            metrics = SegmentEvaluation.measure(loaded.model(), loaded.device(), testScenes,
                    SegmentEvaluation.TEST_SEED, evalScenes, digits);
            seconds = (System.nanoTime() - started) / 1e9; // training and the test measurement, as before; not the timing
            measured.addAll(SegmentEvaluation.metrics(metrics, evalScenes));
            measured.addAll(SegmentEvaluation.details(metrics, digits, evalScenes));
            measured.add(new ModelCard.Metric("parameters", SegmentEvaluation.parameters(loaded.model()),
                    "the network's trainable values (batch-norm statistics excluded)", null));
            if (req.evalLimit() <= 0) {
                measured.addAll(SegmentEvaluation.throughput(loaded.model(), loaded.device(), testScenes));
            }
        }
        List<Path> files = new ArrayList<>(List.of(Mnist.files(req.data(), Mnist.Split.TRAIN)));
        files.addAll(List.of(Mnist.files(req.data(), Mnist.Split.TEST)));
        ModelCard card = card(req, steps, Checksums.of(files.toArray(Path[]::new)), measured, seconds);
        ModelLoader.writeCard(dir, card);
        log.line(String.format("%s: mIoU %.4f, pixel accuracy %.4f, foreground IoU %.4f on %d test scenes, %.0f s",
                recipe.name(), metrics.meanIou(), metrics.pixelAccuracy(), metrics.foregroundIou(), evalScenes, seconds));
        return card;
    }

    private void fit(Model model, Trainer trainer, SceneGenerator scenes, int steps, TrainRequest req, TrainingLog log) {
        int bs = recipe.batchSize();
        int side = SceneGenerator.SIDE;
        int plane = side * side;
        long[] sceneIndex = {0};
        for (int epoch = 1; epoch <= req.epochs(); epoch++) {
            long t0 = System.nanoTime();
            double meanLoss = EpochSteps.run(trainer, recipe.name(), epoch, steps, new Shape(bs, 1, side, side),
                    new Shape(bs, side, side), (x, y) -> {
                        for (int b = 0; b < bs; b++) {
                            SceneGenerator.Scene s = scenes.scene(req.seed(), sceneIndex[0]++);
                            System.arraycopy(s.image(), 0, x, b * plane, plane);
                            for (int p = 0; p < plane; p++) {
                                y[b * plane + p] = s.labels()[p];
                            }
                        }
                    }, log);
            log.loss(meanLoss);
            SegmentationMetrics val = SegmentEvaluation.measure(model, Device.cpu(), scenes,
                    VALIDATION_SEED, Math.min(VALIDATION_SCENES, Math.max(20, steps * 4)));
            log.line(String.format("%s epoch %d/%d: loss %.4f, validation mIoU %.4f (foreground IoU %.4f), %.1f s",
                    recipe.name(), epoch, req.epochs(), meanLoss, val.meanIou(), val.foregroundIou(),
                    (System.nanoTime() - t0) / 1e9));
        }
    }

    private ModelCard card(TrainRequest req, int steps, Map<String, String> data, List<ModelCard.Metric> metrics,
            double seconds) {
        Map<String, Object> r = recipe.cardRecipe(req, steps);
        r.put("scenes", "generated per step from MNIST training digits: " + SceneGenerator.standard(null).describe());
        r.put("trainingScenes", (long) steps * req.epochs() * recipe.batchSize());
        recipe.closeCard(r, req, seconds);
        List<String> labels = new ArrayList<>();
        labels.add("background");
        for (int d = 0; d < 10; d++) {
            labels.add(Integer.toString(d));
        }
        return ModelCard.builder(req.modelName(), req.version(), "segment", ModelCard.FORMAT_DJL_BLOCK)
                .architecture(recipe.architecture()).architectureOptions(recipe.options()).weights(req.modelName())
                .input(new ModelCard.Input(SceneGenerator.SIDE, SceneGenerator.SIDE, 1, new float[] {0f}, new float[] {1f},
                        "light-on-dark"))
                .labels(labels).metrics(metrics).recipe(r).data(data).build();
    }
}
