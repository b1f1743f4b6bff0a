package io.imageworker.training.segment;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.tasks.segment.SegmentMask;
import io.imageworker.tasks.segment.SegmentTranslator;
import io.imageworker.inference.ood.OodDetector;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.training.ModelEvaluation;
import io.imageworker.training.data.Mnist;
import io.imageworker.training.ood.CanvasOod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Mean IoU over the 11 classes, pixel accuracy and foreground IoU on 1,000 scenes of MNIST test
 * digits (seed {@link #TEST_SEED}), measured through the translator the worker serves with.
 */
public final class SegmentEvaluation implements ModelEvaluation {

    /** The one instance (stateless). */
    public static final SegmentEvaluation INSTANCE = new SegmentEvaluation();
    /** Seed of the test scenes. */
    public static final long TEST_SEED = 20_240_601;
    /** Number of test scenes. */
    public static final int TEST_SCENES = 1000;
    /** The bar the default segmentation model is held to. */
    public static final double MIOU_BAR = 0.80;
    private static final int BATCH = 50;

    private SegmentEvaluation() {}

    @Override
    public List<ModelCard.Metric> evaluate(LoadedModel model, int limit) throws IOException {
        int n = limit > 0 ? Math.min(limit, TEST_SCENES) : TEST_SCENES;
        SegmentationMetrics m = measure(model.model(), model.device(), SceneGenerator.standard(Mnist.bundledTestSet()), TEST_SEED, n);
        List<ModelCard.Metric> out = new ArrayList<>(metrics(m, n));
        OodDetector ood = OodDetector.fromCard(model.card().options(), model.dir());
        if (ood != null) { // the model's out-of-distribution rule, beside its quality
            out.addAll(abstention(model.card(), ood, limit));
        }
        return out;
    }

    /** {@code ood}'s abstention on evaluation scenes of test digits and on the non-digits (see {@link CanvasOod}). */
    public static List<ModelCard.Metric> abstention(ModelCard card, OodDetector ood, int limit) throws IOException {
        int n = limit > 0 ? Math.min(limit, TEST_SCENES) : TEST_SCENES;
        return CanvasOod.metrics(card, ood, SceneGenerator.standard(Mnist.bundledTestSet()).images(TEST_SEED, n),
                n + " evaluation scenes of MNIST test digits (seed " + TEST_SEED + ")");
    }

    /** The metrics a card records, from a filled confusion matrix over {@code n} test scenes. */
    static List<ModelCard.Metric> metrics(SegmentationMetrics m, int n) {
        String data = testData(n);
        return List.of(
                new ModelCard.Metric("mIoU", m.meanIou(), data, MIOU_BAR),
                new ModelCard.Metric("pixel-accuracy", m.pixelAccuracy(), data, null),
                new ModelCard.Metric("foreground-IoU", m.foregroundIou(), data, null));
    }

    static String testData(int n) {
        return n + " scenes of MNIST test digits (" + SceneGenerator.standard(null).describe() + ", seed " + TEST_SEED
                + ")";
    }

    /** Confusion matrix of {@code model} over scenes {@code 0..n-1} of {@code scenes} seeded {@code seed}. */
    public static SegmentationMetrics measure(Model model, Device device, SceneGenerator scenes, long seed, int n) {
        SegmentationMetrics metrics = new SegmentationMetrics(SceneGenerator.CLASSES);
        try (Predictor<ImageTensor, SegmentMask> predictor = model.newPredictor(new SegmentTranslator(), device)) {
            for (int start = 0; start < n; start += BATCH) {
                int end = Math.min(n, start + BATCH);
                List<SceneGenerator.Scene> batch = new ArrayList<>(end - start);
                List<ImageTensor> inputs = new ArrayList<>(end - start);
                for (int i = start; i < end; i++) {
                    SceneGenerator.Scene s = scenes.scene(seed, i);
                    batch.add(s);
                    inputs.add(new ImageTensor(s.image(), 1, s.side(), s.side()));
                }
                List<SegmentMask> masks = predictor.batchPredict(inputs);
                for (int i = 0; i < batch.size(); i++) {
                    metrics.add(batch.get(i).labels(), masks.get(i).classIndex());
                }
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("evaluation failed: " + e.getMessage(), e);
        }
        return metrics;
    }
}
