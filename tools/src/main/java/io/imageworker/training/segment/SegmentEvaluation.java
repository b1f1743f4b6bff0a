package io.imageworker.training.segment;

import io.imageworker.training.data.SceneGenerator;
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
import io.imageworker.datasets.Mnist;
import io.imageworker.training.ood.CanvasOod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Mean IoU over the 11 classes, pixel accuracy and foreground IoU on 1,000 scenes of MNIST test
 * digits (seed {@link #TEST_SEED}), measured through the translator the worker serves with; beside
 * them the range of per-class IoU, the recall of small and of overlapping digits ({@link
 * DigitRecall}), the trainable parameters and, on the full set only, inference throughput.
 */
public final class SegmentEvaluation implements ModelEvaluation {

    /** The shared instance (ServiceLoader makes its own). */
    public static final SegmentEvaluation INSTANCE = new SegmentEvaluation();

    /** The task whose models this evaluation measures. */
    public static final String TASK = "segment";
    /** Seed of the test scenes. */
    public static final long TEST_SEED = SceneGenerator.TEST_SEED;
    /** Number of test scenes. */
    public static final int TEST_SCENES = SceneGenerator.TEST_SCENES;
    /** The bar the default segmentation model is held to. */
    public static final double MIOU_BAR = 0.80;
    private static final int BATCH = 50;

    /** For {@link java.util.ServiceLoader}, which finds the evaluations; use {@link #INSTANCE}. */
    public SegmentEvaluation() {}

    /** {@value #TASK}. */
    @Override
    public String task() {
        return TASK;
    }

    @Override
    public List<ModelCard.Metric> evaluate(LoadedModel model, int limit) throws IOException {
        int n = limit > 0 ? Math.min(limit, TEST_SCENES) : TEST_SCENES;
        SceneGenerator scenes = SceneGenerator.standard(Mnist.bundledTestSet());
        DigitRecall digits = new DigitRecall();
        SegmentationMetrics m = measure(model.model(), model.device(), scenes, TEST_SEED, n, digits);
        List<ModelCard.Metric> out = new ArrayList<>(metrics(m, n));
        out.addAll(details(m, digits, n));
        out.add(new ModelCard.Metric("parameters", parameters(model.model()), "the network's trainable values (batch-norm statistics excluded)", null));
        if (limit <= 0) { // a timing, not a quality: only on the full evaluation, never in the test suite's subsets
            out.addAll(throughput(model.model(), model.device(), scenes));
        }
        OodDetector ood = OodDetector.fromCard(model.card().options(), model.dir());
        if (ood != null) { // the model's out-of-distribution rule, beside its quality
            out.addAll(abstention(model.card(), ood, limit));
        }
        return out;
    }

    /** {@code ood}'s abstention on evaluation scenes of test digits and on the non-digits (see {@link CanvasOod}). */
    public static List<ModelCard.Metric> abstention(ModelCard card, OodDetector ood, int limit) throws IOException {
        return CanvasOod.onTestScenes(card, ood, limit);
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

    /**
     * The lowest and highest IoU of a digit class (the class named in the data), and the pixel recall of
     * small digits, of digits whose ink box overlaps another's, and of all digits.
     */
    public static List<ModelCard.Metric> details(SegmentationMetrics m, DigitRecall digits, int n) {
        String data = testData(n);
        int lo = 1; // digits only: background's IoU is always the highest
        int hi = 1;
        for (int c = 2; c < SceneGenerator.CLASSES; c++) {
            lo = m.iou(c) < m.iou(lo) ? c : lo;
            hi = m.iou(c) > m.iou(hi) ? c : hi;
        }
        return List.of(
                new ModelCard.Metric("class-IoU-min", m.iou(lo), data + "; class " + className(lo), null),
                new ModelCard.Metric("class-IoU-max", m.iou(hi), data + "; class " + className(hi), null),
                new ModelCard.Metric("digit-recall", digits.all(), data + "; pixels of every digit", null),
                new ModelCard.Metric("digit-recall-small", digits.small(), data + "; pixels of digits whose ink box is at most "
                        + DigitRecall.SMALL_INK_HEIGHT + " px high", null),
                new ModelCard.Metric("digit-recall-overlapping", digits.overlapping(), data
                        + "; pixels of digits whose ink box overlaps another's", null));
    }

    private static String className(int c) {
        return c == 0 ? "background" : Integer.toString(c - 1);
    }

    /** Trainable values of {@code model}'s block (batch-norm running statistics excluded). */
    public static long parameters(Model model) {
        long n = 0;
        for (var p : model.getBlock().getParameters()) {
            if (p.getValue().requiresGradient()) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }

    /** Least process CPU time a pass of {@link #throughput} lasts: 0.5 s, 50 ticks of the 10 ms process CPU clock. */
    static final long MIN_CPU_NANOS = 500_000_000L;

    /**
     * Timed passes per batch size after a warm-up pass; the best counts: the process's CPU time also
     * holds the JIT compiler's and the collector's, which a fresh JVM spends early (the same model
     * read 124 and 174 images per CPU-second at batch 1 from single passes).
     */
    static final int THROUGHPUT_REPEATS = 3;

    /** Batch sizes {@link #throughput} tries. */
    static final int[] THROUGHPUT_BATCHES = {1, 8, 32, 128};

    /**
     * Inference throughput through the serving translator at batch 1 and at the best of {@link
     * #THROUGHPUT_BATCHES}, in images per second of the process's CPU time (engine threads
     * included): on a shared machine wall time measures the neighbours, CPU time the model; with one
     * engine thread on an idle core the two agree.
     */
    public static List<ModelCard.Metric> throughput(Model model, Device device, SceneGenerator scenes) {
        List<ImageTensor> inputs = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            SceneGenerator.Scene s = scenes.scene(TEST_SEED, i);
            inputs.add(new ImageTensor(s.image(), 1, s.side(), s.side()));
        }
        double atOne = 0;
        double best = 0;
        int bestBatch = 1;
        try (Predictor<ImageTensor, SegmentMask> predictor = model.newPredictor(new SegmentTranslator(), device)) {
            for (int batch : THROUGHPUT_BATCHES) {
                double perSecond = 0;
                for (int r = -1; r < THROUGHPUT_REPEATS; r++) { // r = -1: warm-up at this shape, not counted
                    double rate = rate(predictor, inputs, batch);
                    perSecond = r < 0 ? perSecond : Math.max(perSecond, rate);
                }
                atOne = batch == 1 ? perSecond : atOne;
                if (perSecond > best) {
                    best = perSecond;
                    bestBatch = batch;
                }
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("throughput measurement failed: " + e.getMessage(), e);
        }
        String how = "images per second of process CPU time (best of 3 passes of at least 0.5 s of it after a warm-up) through the serving translator, 64x64 scenes, "
                + "engine threads " + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset");
        return List.of(new ModelCard.Metric("throughput-batch-1", atOne, how + ", batch 1", null),
                new ModelCard.Metric("throughput-best-batch", best, how + ", batch " + bestBatch + " (best of "
                        + java.util.Arrays.toString(THROUGHPUT_BATCHES) + ")", null));
    }

    /**
     * Images per second of process CPU time at {@code batch}, over at least {@link #MIN_CPU_NANOS}
     * of it (the process CPU clock ticks in 10 ms steps) and at least 64 images.
     */
    private static double rate(Predictor<ImageTensor, SegmentMask> predictor, List<ImageTensor> inputs, int batch)
            throws TranslateException {
        int images = 0;
        long t0 = cpuNanos();
        long spent = 0;
        for (int start = 0; images < Math.max(64, 2 * batch) || spent < MIN_CPU_NANOS; start += batch) {
            int from = start % inputs.size();
            predictor.batchPredict(inputs.subList(from, from + batch));
            images += batch;
            spent = cpuNanos() - t0;
        }
        return images / (spent / 1e9);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Confusion matrix of {@code model} over scenes {@code 0..n-1} of {@code scenes} seeded {@code seed}. */
    public static SegmentationMetrics measure(Model model, Device device, SceneGenerator scenes, long seed, int n) {
        return measure(model, device, scenes, seed, n, new DigitRecall());
    }

    /** As {@link #measure(Model, Device, SceneGenerator, long, int)}, also adding each scene to {@code digits}. */
    public static SegmentationMetrics measure(Model model, Device device, SceneGenerator scenes, long seed, int n,
            DigitRecall digits) {
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
                    digits.add(batch.get(i), masks.get(i).classIndex());
                }
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("evaluation failed: " + e.getMessage(), e);
        }
        return metrics;
    }
}
