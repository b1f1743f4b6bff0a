package io.imageworker.training.ood;

import io.imageworker.imaging.Preprocessor;
import io.imageworker.inference.ood.InputStats;
import io.imageworker.inference.ood.OodDetector;
import io.imageworker.datasets.Mnist;
import io.imageworker.models.ModelCard;
import io.imageworker.training.data.CanvasGenerator;
import io.imageworker.training.data.SceneGenerator;
import io.imageworker.training.ood.OodImages.Group;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The out-of-distribution rule of the models that read canvases of several digits ({@code segment}:
 * scenes, {@code localize}: canvases): input statistics only. Digits may sit anywhere, even at the
 * edge, so the classifier's frame and centring cuts do not carry over; the share of ink (blank
 * images have none, photos and textures too much) and of mid-tones (photos, textures, noise) do.
 * The cuts are quantiles of scenes or canvases made from MNIST training digits.
 */
public final class CanvasOod {

    /** Statistics the rule uses: ink has a lower and an upper cut, mid-tones an upper one. */
    static final String[] PARTS = {"ink-", "ink", "midtones"};

    private CanvasOod() {}

    /**
     * Fits the cuts on {@code images} made from training digits.
     *
     * @param images {@code side x side} ink in [0, 1], row-major, as the task's generator makes them
     * @param budget share of those images the rule may refuse, split evenly over its cuts
     * @return the card's {@code options.outOfDistribution}
     */
    static Map<String, Object> fit(List<float[]> images, int side, double budget) {
        int n = images.size();
        double[] ink = new double[n];
        double[] mid = new double[n];
        for (int i = 0; i < n; i++) {
            InputStats s = InputStats.of(images.get(i), side, side);
            ink[i] = s.ink();
            mid[i] = s.midtones();
        }
        double q = budget / PARTS.length;
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("ink", Map.of("min", OodStudy.quantile(ink, q), "max", OodStudy.quantile(ink, 1 - q)));
        stats.put("midtones", Map.of("max", OodStudy.quantile(mid, 1 - q)));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("method", "input-statistics");
        spec.put("threshold", OodDetector.THRESHOLD);
        spec.put("score", "the largest of: ink over its upper cut, its lower cut over ink, mid-tones over its cut");
        spec.put("inputStatistics", stats);
        return spec;
    }

    /**
     * Abstention of {@code ood}, {@code card}'s rule: on the task's own evaluation images (made from
     * test digits as its evaluation makes them, fed as they are, like the quality metrics) and on the
     * evaluation set of non-digits (through the worker's preprocessing), with a bar of
     * {@link OodEvaluation#MIN_OOD_ABSTENTION} on the latter.
     *
     * @param evaluation the task's evaluation images, {@code side x side} in [0, 1]
     * @param described what those images are, for the metric's data field
     */
    /**
     * The abstention metrics of a segmenter's card on the test scenes of its evaluation
     * ({@code SegmentEvaluation}: {@link SceneGenerator#TEST_SCENES} scenes of MNIST test digits, seed
     * {@link SceneGenerator#TEST_SEED}), at most {@code limit} of them when positive.
     *
     * @throws IOException when the bundled test digits cannot be read
     */
    public static List<ModelCard.Metric> onTestScenes(ModelCard card, OodDetector ood, int limit) throws IOException {
        int n = limit > 0 ? Math.min(limit, SceneGenerator.TEST_SCENES) : SceneGenerator.TEST_SCENES;
        return metrics(card, ood, SceneGenerator.standard(Mnist.bundledTestSet()).images(SceneGenerator.TEST_SEED, n),
                n + " evaluation scenes of MNIST test digits (seed " + SceneGenerator.TEST_SEED + ")");
    }

    /**
     * The abstention metrics of a localizer's card on the test canvases of its evaluation
     * ({@code LocalizeEvaluation}: {@link CanvasGenerator#TEST_CANVASES} canvases, seed
     * {@link CanvasGenerator#TEST_SEED}), at most {@code limit} of them when positive.
     *
     * @throws IOException when the bundled test digits cannot be read
     */
    public static List<ModelCard.Metric> onTestCanvases(ModelCard card, OodDetector ood, int limit) throws IOException {
        int n = limit > 0 ? Math.min(limit, CanvasGenerator.TEST_CANVASES) : CanvasGenerator.TEST_CANVASES;
        return metrics(card, ood, CanvasGenerator.standard(Mnist.bundledTestSet()).images(CanvasGenerator.TEST_SEED, n),
                n + " evaluation canvases of MNIST test digits (seed " + CanvasGenerator.TEST_SEED + ")");
    }

    public static List<ModelCard.Metric> metrics(ModelCard card, OodDetector ood, List<float[]> evaluation, String described)
            throws IOException {
        int side = card.input().width();
        int away = 0;
        for (float[] img : evaluation) {
            away += ood.judge(InputStats.of(img, side, side), null).outOfDistribution() ? 1 : 0;
        }
        List<ModelCard.Metric> out = new ArrayList<>();
        out.add(new ModelCard.Metric("abstention-in-distribution", away / (double) evaluation.size(), described, null));
        OodSet set = OodSet.bundled();
        Preprocessor.Spec spec = card.input().spec();
        Map<Group, int[]> byGroup = new LinkedHashMap<>();
        int all = 0;
        for (OodSet.Entry e : set.images()) {
            float[] plane = Preprocessor.toTensor(e.image(), spec).data();
            boolean o = ood.judge(InputStats.of(plane, side, side, spec.std()[0], spec.mean()[0]), null).outOfDistribution();
            all += o ? 1 : 0;
            int[] c = byGroup.computeIfAbsent(e.group(), g -> new int[2]);
            c[0]++;
            c[1] += o ? 1 : 0;
        }
        out.add(new ModelCard.Metric("abstention-ood", all / (double) set.images().size(),
                "evaluation set of non-digits, datasets/ood (" + set.images().size() + " images), through the worker's"
                        + " preprocessing", OodEvaluation.MIN_OOD_ABSTENTION));
        byGroup.forEach((g, c) -> out.add(new ModelCard.Metric("abstention-ood-" + g.id, c[1] / (double) c[0],
                "the " + c[0] + " images of group " + g.id + " of the evaluation set of non-digits", null)));
        return out;
    }
}
