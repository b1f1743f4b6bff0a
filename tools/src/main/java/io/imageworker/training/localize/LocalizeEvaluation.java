package io.imageworker.training.localize;

import io.imageworker.training.data.CanvasGenerator;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.imageworker.imaging.Box;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.tasks.localize.CamBoxes;
import io.imageworker.tasks.localize.CamResult;
import io.imageworker.tasks.localize.LocalizeTranslator;
import io.imageworker.inference.ood.OodDetector;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.training.ModelEvaluation;
import io.imageworker.datasets.Mnist;
import io.imageworker.training.ood.CanvasOod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Weakly supervised localization on 1,000 canvases of MNIST test digits, through the translator and
 * post-processing the worker serves with. For every digit on a canvas, with its class given: the
 * pointing game (the class map's peak lies in the digit's box) and localization accuracy (the box
 * from the map, thresholded at the card's {@code camThreshold} times its max, has IoU >= 0.5 with the
 * digit's box). Also multi-label accuracy (the set of classes scoring >= 0.5 is exactly the set
 * present) and the "largest bright blob" baseline on the same digits.
 */
public final class LocalizeEvaluation implements ModelEvaluation {

    /** The shared instance (ServiceLoader makes its own). */
    public static final LocalizeEvaluation INSTANCE = new LocalizeEvaluation();

    /** The task whose models this evaluation measures. */
    public static final String TASK = "localize";
    /** Seed of the test canvases (of MNIST test digits). */
    public static final long TEST_SEED = CanvasGenerator.TEST_SEED;
    /** Number of test canvases ({@code --limit} takes fewer). */
    public static final int TEST_CANVASES = CanvasGenerator.TEST_CANVASES;
    /** Canvases of training digits on which the threshold is chosen. */
    public static final long VALIDATION_SEED = 7_002;
    /** Number of validation canvases the threshold is chosen on. */
    public static final int VALIDATION_CANVASES = 500;
    /** The bar for the pointing game: fraction of digits, in [0, 1]. */
    public static final double POINTING_BAR = 0.90;
    /** The bar for localization accuracy (IoU >= 0.5): fraction of digits, in [0, 1]. */
    public static final double LOCALIZATION_BAR = 0.50;
    /** Card option holding the threshold chosen on validation canvases. */
    public static final String THRESHOLD_OPTION = CamBoxes.THRESHOLD_OPTION;
    private static final int BATCH = 50;

    /** For {@link java.util.ServiceLoader}, which finds the evaluations; use {@link #INSTANCE}. */
    public LocalizeEvaluation() {}

    /** {@value #TASK}. */
    @Override
    public String task() {
        return TASK;
    }

    @Override
    public List<ModelCard.Metric> evaluate(LoadedModel model, int limit) throws IOException {
        int n = limit > 0 ? Math.min(limit, TEST_CANVASES) : TEST_CANVASES;
        double threshold = model.card().taskOption(THRESHOLD_OPTION, CamBoxes.DEFAULT_THRESHOLD);
        Scores s = score(model.model(), model.device(), CanvasGenerator.standard(Mnist.bundledTestSet()), TEST_SEED, n,
                new double[] {threshold});
        List<ModelCard.Metric> out = new ArrayList<>(metrics(s, 0));
        OodDetector ood = OodDetector.fromCard(model.card().options(), model.dir());
        if (ood != null) { // the model's out-of-distribution rule, beside its quality
            out.addAll(abstention(model.card(), ood, limit));
        }
        return out;
    }

    /** {@code ood}'s abstention on evaluation canvases of test digits and on the non-digits (see {@link CanvasOod}). */
    public static List<ModelCard.Metric> abstention(ModelCard card, OodDetector ood, int limit) throws IOException {
        return CanvasOod.onTestCanvases(card, ood, limit);
    }

    /** The metrics a card records, from scores over test canvases, at threshold {@code t}. */
    static List<ModelCard.Metric> metrics(Scores s, int t) {
        String data = s.canvases() + " canvases of MNIST test digits (80x80, 1-3 digits of different classes, seed "
                + TEST_SEED + "), " + s.digits() + " digits";
        String at = data + ", box at " + s.thresholds()[t] + " x max";
        return List.of(
                new ModelCard.Metric("pointing-game", s.pointing(), data, POINTING_BAR),
                new ModelCard.Metric("localization-accuracy", s.localization(t), at + ", IoU >= 0.5", LOCALIZATION_BAR),
                new ModelCard.Metric("multilabel-accuracy", s.exactMatch(), data
                        + ", predicted set (score >= 0.5) equals the set present", null),
                new ModelCard.Metric("baseline-pointing-game", s.baselinePointing(), data
                        + ", largest bright blob's centre, not learned", null),
                new ModelCard.Metric("baseline-localization-accuracy", s.baselineLocalization(), data
                        + ", largest bright blob's box, not learned, IoU >= 0.5", null));
    }

    /**
     * Counts over a set of canvases.
     *
     * @param thresholds the fractions of the max that boxes were cut at
     * @param localized per threshold, digits whose box had IoU >= 0.5
     */
    public record Scores(double[] thresholds, int canvases, int digits, int pointed, int[] localized, int exactMatches,
            int baselinePointed, int baselineLocalized) {

        /**
         * Pointing-game accuracy: fraction of digits whose class map peaks inside their box, in
         * [0, 1].
         */
        public double pointing() {
            return pointed / (double) digits;
        }

        /**
         * Localization accuracy at {@code thresholds()[t]}: fraction of digits whose box from the
         * map has IoU >= 0.5 with theirs, in [0, 1].
         */
        public double localization(int t) {
            return localized[t] / (double) digits;
        }

        /**
         * Multi-label accuracy: fraction of canvases (not digits) whose set of classes scoring
         * >= 0.5 is exactly the set present, in [0, 1].
         */
        public double exactMatch() {
            return exactMatches / (double) canvases;
        }

        /**
         * Fraction of digits whose box holds the centre of the canvas's largest bright blob (the
         * unlearned baseline), in [0, 1].
         */
        public double baselinePointing() {
            return baselinePointed / (double) digits;
        }

        /**
         * Fraction of digits whose box has IoU >= 0.5 with the largest bright blob's box (the
         * unlearned baseline), in [0, 1].
         */
        public double baselineLocalization() {
            return baselineLocalized / (double) digits;
        }

        /** Index of the threshold with the best localization accuracy (the lower one on ties). */
        public int best() {
            int best = 0;
            for (int t = 1; t < localized.length; t++) {
                if (localized[t] > localized[best]) {
                    best = t;
                }
            }
            return best;
        }
    }

    /** Scores canvases {@code 0..n-1} of {@code canvases} seeded {@code seed}, boxes cut at each threshold. */
    public static Scores score(Model model, Device device, CanvasGenerator canvases, long seed, int n,
            double[] thresholds) {
        int digits = 0;
        int pointed = 0;
        int[] localized = new int[thresholds.length];
        int exact = 0;
        int basePointed = 0;
        int baseLocalized = 0;
        int side = canvases.side();
        try (Predictor<ImageTensor, CamResult> predictor = model.newPredictor(new LocalizeTranslator(), device)) {
            for (int start = 0; start < n; start += BATCH) {
                int end = Math.min(n, start + BATCH);
                List<CanvasGenerator.Canvas> batch = new ArrayList<>(end - start);
                List<ImageTensor> inputs = new ArrayList<>(end - start);
                for (int i = start; i < end; i++) {
                    CanvasGenerator.Canvas c = canvases.canvas(seed, i);
                    batch.add(c);
                    inputs.add(new ImageTensor(c.image(), 1, side, side));
                }
                List<CamResult> results = predictor.batchPredict(inputs);
                for (int i = 0; i < batch.size(); i++) {
                    CanvasGenerator.Canvas canvas = batch.get(i);
                    CamResult r = results.get(i);
                    float[] truth = canvas.labels();
                    boolean match = true;
                    for (int c = 0; c < truth.length; c++) {
                        match &= (r.scores()[c] >= 0.5f) == (truth[c] > 0);
                    }
                    exact += match ? 1 : 0;
                    Box blob = BrightBlob.box(canvas.image(), side);
                    for (CanvasGenerator.Placed d : canvas.digits()) {
                        digits++;
                        float[] map = r.map(d.digit());
                        float[] heat = CamBoxes.upsample(map, r.mapWidth(), r.mapHeight(), side, side);
                        int[] peak = CamBoxes.peak(map, r.mapWidth(), r.mapHeight(), side, side);
                        pointed += d.box().contains(peak[0], peak[1]) ? 1 : 0;
                        for (int t = 0; t < thresholds.length; t++) {
                            Box b = CamBoxes.box(heat, side, side, thresholds[t]);
                            localized[t] += b != null && b.iou(d.box()) >= 0.5 ? 1 : 0;
                        }
                        if (blob != null) {
                            basePointed += d.box().contains((blob.x0() + blob.x1()) / 2, (blob.y0() + blob.y1()) / 2) ? 1 : 0;
                            baseLocalized += blob.iou(d.box()) >= 0.5 ? 1 : 0;
                        }
                    }
                }
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("evaluation failed: " + e.getMessage(), e);
        }
        return new Scores(thresholds, n, digits, pointed, localized, exact, basePointed, baseLocalized);
    }

    /** Thresholds the recipe chooses among: 0.05, 0.10, ..., 0.90 of the map's max. */
    public static double[] candidateThresholds() {
        double[] out = new double[18];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.round((i + 1) * 5) / 100.0;
        }
        return out;
    }
}
