package io.imageworker.training.localize;

import io.imageworker.training.data.CanvasGenerator;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the CAM recipe on generated canvases, chooses the box threshold on validation canvases of
 * training digits, and measures on canvases of test digits.
 */
public final class LocalizeTraining {

    /** The CAM recipe. */
    public static List<GeneratedDataRecipe> recipes() {
        return List.of(new GeneratedDataRecipe("cam", "localize",
                "CAM: convs 16/32/32/64/64/128 (field ~29 px, map 1/4), global average pooling, dense; multi-label",
                "cam", Map.of("classes", CanvasGenerator.CLASSES, "width", 16), 6, 500, 32, 0.002f, 0.00002f, 4f,
                (recipe, req, log) -> new LocalizeTraining(recipe).run(req, log)));
    }

    private final GeneratedDataRecipe recipe;

    LocalizeTraining(GeneratedDataRecipe recipe) {
        this.recipe = recipe;
    }

    ModelCard run(TrainRequest req, TrainingLog log) throws IOException {
        Mnist trainDigits = Mnist.read(req.data(), Mnist.Split.TRAIN);
        Mnist testDigits = Mnist.read(req.data(), Mnist.Split.TEST);
        CanvasGenerator trainCanvases = CanvasGenerator.standard(trainDigits);
        int bs = recipe.batchSize();
        int steps = recipe.steps(req);
        int evalCanvases = req.evalLimit() > 0 ? Math.min(req.evalLimit(), LocalizeEvaluation.TEST_CANVASES)
                : LocalizeEvaluation.TEST_CANVASES;
        int validationCanvases = req.evalLimit() > 0 ? Math.min(req.evalLimit(), LocalizeEvaluation.VALIDATION_CANVASES)
                : LocalizeEvaluation.VALIDATION_CANVASES;
        long started = System.nanoTime();
        Engine.getInstance().setRandomSeed(req.seed());
        Path dir = ModelWriter.versionDir(req.out(), req.modelName(), req.version());
        double[] candidates = LocalizeEvaluation.candidateThresholds();
        LocalizeEvaluation.Scores validation;
        try (Model model = Model.newInstance(req.modelName(), Device.cpu())) {
            model.setBlock(Architectures.build(recipe.architecture(), recipe.options()));
            DefaultTrainingConfig config = recipe.trainingConfig(new SigmoidBinaryCrossEntropyLoss("bce"), steps * req.epochs());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(bs, 1, CanvasGenerator.SIDE, CanvasGenerator.SIDE));
                fit(model, trainer, trainCanvases, steps, req, log);
            }
            // The threshold is a hyper-parameter: chosen on training digits, never on test ones.
            validation = LocalizeEvaluation.score(model, Device.cpu(), trainCanvases, LocalizeEvaluation.VALIDATION_SEED,
                    validationCanvases, candidates);
            ModelWriter.write(dir, model, card(req, steps, Map.of(), List.of(), candidates[validation.best()], validation, 0));
        }
        double threshold = candidates[validation.best()];
        StringBuilder sweep = new StringBuilder();
        for (int t = 0; t < candidates.length; t++) {
            sweep.append(String.format(" %.2f:%.3f", candidates[t], validation.localization(t)));
        }
        log.line("validation localization accuracy by threshold:" + sweep + " -> " + threshold);
        LocalizeEvaluation.Scores test;
        try (LoadedModel loaded = ModelLoader.load(dir, Device.cpu())) {
            test = LocalizeEvaluation.score(loaded.model(), loaded.device(), CanvasGenerator.standard(testDigits),
                    LocalizeEvaluation.TEST_SEED, evalCanvases, new double[] {threshold});
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Path> files = new ArrayList<>(List.of(Mnist.files(req.data(), Mnist.Split.TRAIN)));
        files.addAll(List.of(Mnist.files(req.data(), Mnist.Split.TEST)));
        ModelCard card = card(req, steps, Checksums.of(files.toArray(Path[]::new)), LocalizeEvaluation.metrics(test, 0),
                threshold, validation, seconds);
        ModelLoader.writeCard(dir, card);
        log.line(String.format("%s: pointing %.4f, localization %.4f (threshold %.2f), multi-label %.4f; "
                + "baseline pointing %.4f, localization %.4f; %d test canvases, %.0f s", recipe.name(), test.pointing(),
                test.localization(0), threshold, test.exactMatch(), test.baselinePointing(), test.baselineLocalization(),
                evalCanvases, seconds));
        return card;
    }

    private void fit(Model model, Trainer trainer, CanvasGenerator canvases, int steps, TrainRequest req,
            TrainingLog log) {
        int bs = recipe.batchSize();
        int side = canvases.side();
        int plane = side * side;
        long[] index = {0};
        for (int epoch = 1; epoch <= req.epochs(); epoch++) {
            long t0 = System.nanoTime();
            // the net's first output is the class logits (the second, the maps, is for inference)
            double meanLoss = EpochSteps.run(trainer, recipe.name(), epoch, steps, new Shape(bs, 1, side, side),
                    new Shape(bs, CanvasGenerator.CLASSES), (x, y) -> {
                        for (int b = 0; b < bs; b++) {
                            CanvasGenerator.Canvas c = canvases.canvas(req.seed(), index[0]++);
                            System.arraycopy(c.image(), 0, x, b * plane, plane);
                            System.arraycopy(c.labels(), 0, y, b * CanvasGenerator.CLASSES, CanvasGenerator.CLASSES);
                        }
                    }, log);
            log.loss(meanLoss);
            LocalizeEvaluation.Scores val = LocalizeEvaluation.score(model, Device.cpu(), canvases,
                    LocalizeEvaluation.VALIDATION_SEED, Math.min(200, Math.max(20, steps * 4)),
                    new double[] {0.2, 0.3, 0.4, 0.5});
            log.line(String.format("%s epoch %d/%d: loss %.4f, validation pointing %.3f, localization at 0.2/0.3/0.4/0.5"
                    + " %.3f/%.3f/%.3f/%.3f, multi-label %.3f, %.1f s", recipe.name(), epoch, req.epochs(), meanLoss,
                    val.pointing(), val.localization(0), val.localization(1), val.localization(2), val.localization(3),
                    val.exactMatch(), (System.nanoTime() - t0) / 1e9));
        }
    }

    private ModelCard card(TrainRequest req, int steps, Map<String, String> data, List<ModelCard.Metric> metrics,
            double threshold, LocalizeEvaluation.Scores validation, double seconds) {
        Map<String, Object> r = recipe.cardRecipe(req, steps);
        r.put("loss", "sigmoid binary cross-entropy on image-level labels (which digits are present)");
        r.put("canvases", "generated per step from MNIST training digits: 80x80, 1-3 digits of different classes, "
                + "22-36 px, ink boxes disjoint");
        r.put("trainingCanvases", (long) steps * req.epochs() * recipe.batchSize());
        r.put("thresholdChoice", Map.of("data", validation.canvases() + " canvases of MNIST training digits (seed "
                + LocalizeEvaluation.VALIDATION_SEED + ")", "localizationAccuracy", validation.localization(validation.best()),
                "chosen", threshold));
        recipe.closeCard(r, req, seconds);
        List<String> labels = new ArrayList<>();
        for (int d = 0; d < CanvasGenerator.CLASSES; d++) {
            labels.add(Integer.toString(d));
        }
        Map<String, Object> options = new LinkedHashMap<>();
        options.put(LocalizeEvaluation.THRESHOLD_OPTION, threshold);
        options.put("mapStride", 4);
        return ModelCard.builder(req.modelName(), req.version(), "localize", ModelCard.FORMAT_DJL_BLOCK)
                .architecture(recipe.architecture()).architectureOptions(recipe.options()).weights(req.modelName())
                .input(new ModelCard.Input(CanvasGenerator.SIDE, CanvasGenerator.SIDE, 1, new float[] {0f}, new float[] {1f},
                        "light-on-dark"))
                .labels(labels).metrics(metrics).recipe(r).data(data).options(options).build();
    }
}
