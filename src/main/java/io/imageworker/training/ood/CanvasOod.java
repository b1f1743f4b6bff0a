package io.imageworker.training.ood;

import io.imageworker.imaging.Preprocessor;
import io.imageworker.inference.ood.InputStats;
import io.imageworker.inference.ood.OodDetector;
import io.imageworker.models.ModelCard;
import io.imageworker.training.data.Mnist;
import io.imageworker.training.localize.CanvasGenerator;
import io.imageworker.training.localize.LocalizeEvaluation;
import io.imageworker.training.segment.SceneGenerator;
import io.imageworker.training.segment.SegmentEvaluation;
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

    /** Whether {@code task} is one this rule serves. */
    public static boolean serves(String task) {
        return "segment".equals(task) || "localize".equals(task);
    }

    /** Images {@code 0..n-1} of the task's generator over {@code digits} with {@code seed}: {@code side x side}, in [0, 1]. */
    static List<float[]> images(String task, Mnist digits, long seed, int n) {
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add("segment".equals(task) ? SceneGenerator.standard(digits).scene(seed, i).image()
                    : CanvasGenerator.standard(digits).canvas(seed, i).image());
        }
        return out;
    }

    /**
     * Fits the cuts on {@code n} images made from training digits.
     *
     * @param budget share of those images the rule may refuse, split evenly over its cuts
     * @return the card's {@code options.outOfDistribution}
     */
    static Map<String, Object> fit(String task, int side, Mnist train, long seed, int n, double budget) {
        List<float[]> images = images(task, train, seed, n);
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
     * Abstention on the task's evaluation images (made from test digits, as its evaluation makes
     * them; fed as they are, like the quality metrics) and on the evaluation set of non-digits
     * (through the worker's preprocessing for {@code card}), with a bar of
     * {@link OodEvaluation#MIN_OOD_ABSTENTION} on the latter.
     */
    public static List<ModelCard.Metric> metrics(ModelCard card, OodDetector ood, int limit) throws IOException {
        String task = card.task();
        int side = card.input().width();
        boolean seg = "segment".equals(task);
        int n = seg ? SegmentEvaluation.TEST_SCENES : LocalizeEvaluation.TEST_CANVASES;
        n = limit > 0 ? Math.min(limit, n) : n;
        long seed = seg ? SegmentEvaluation.TEST_SEED : LocalizeEvaluation.TEST_SEED;
        int away = 0;
        for (float[] img : images(task, Mnist.bundledTestSet(), seed, n)) {
            away += ood.judge(InputStats.of(img, side, side), null).outOfDistribution() ? 1 : 0;
        }
        List<ModelCard.Metric> out = new ArrayList<>();
        String what = seg ? "scenes" : "canvases";
        out.add(new ModelCard.Metric("abstention-in-distribution", away / (double) n,
                n + " evaluation " + what + " of MNIST test digits (seed " + seed + ")", null));
        OodSet set = OodSet.bundled();
        Preprocessor.Spec spec = card.input().spec();
        Map<Group, int[]> byGroup = new LinkedHashMap<>();
        int all = 0;
        for (OodSet.Entry e : set.images()) {
            float[] plane = Preprocessor.toTensor(e.image(), spec).data();
            boolean o = ood.judge(InputStats.of(OodStudy.unnormalised(plane, spec.mean()[0], spec.std()[0]), side, side), null)
                    .outOfDistribution();
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
