package io.imageworker.training.ood;

import ai.djl.Device;
import io.imageworker.inference.ood.FeatureProbe;
import io.imageworker.inference.ood.OodDetector;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.ModelRepository;
import io.imageworker.training.checksums.Checksums;
import io.imageworker.training.Recipe;
import io.imageworker.training.TrainRequest;
import io.imageworker.training.TrainingLog;
import io.imageworker.datasets.Mnist;
import io.imageworker.training.generate.GenerationEvaluation;
import io.imageworker.training.ood.OodImages.Group;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import io.imageworker.training.data.CanvasGenerator;
import io.imageworker.training.data.SceneGenerator;

/**
 * {@code train --recipe ood-detector}: fits the out-of-distribution detector of the built-in digit
 * classifier without touching its weights, and writes a copy of the model with the detector in its
 * card. Every cut is a quantile of the MNIST <em>training</em> digits' scores, so no non-digit image
 * is used to fit it; a tuning set of non-digits generated with other seeds and other fonts than
 * the evaluation set (and framed letters, the hardest case) only compares the candidate methods,
 * which are printed and recorded in the card beside the evaluation set's figures.
 */
public final class OodRecipe implements Recipe {

    /** The classifier the detector is fitted for. */
    public static final String BASE = "mnist-cnn-bn";
    /**
     * Share of (shifted) MNIST training digits the detector may reject, split evenly over its
     * components: the smallest budget measured, at which the tuning set's abstention already passed
     * 95%; larger ones bought 0.6-1.2 points more on it for 2.5-10x the digits refused.
     */
    public static final double TRAIN_REJECTION = 0.002;
    /** Budgets every candidate is measured at. */
    static final double[] BUDGETS = {0.002, 0.005, 0.01, 0.02};
    /** Added to the covariance's diagonal (features after ReLU can be always zero). */
    public static final double RIDGE = 1e-3;
    /** Seed of the tuning set of non-digits (the evaluation set uses {@link OodSet#EVALUATION_SEED}). */
    public static final long TUNING_SEED = 7;
    static final String PARAMETERS = "ood-mahalanobis.bin";
    /** Scenes or canvases of training digits the segment and localize rules are cut on, and their seed. */
    static final int CANVASES = 20_000;
    static final long CANVAS_SEED = 8_001;
    /** Generated digits the candidates are also read on (the generator's first evaluation seeds). */
    static final int GENERATED = 2000;
    static final String FONTS = "/usr/share/fonts/truetype/liberation2/";
    static final List<String> TUNING_FONTS = List.of("LiberationSans-Regular.ttf", "LiberationSerif-Bold.ttf",
            "LiberationMono-Regular.ttf", "LiberationSans-BoldItalic.ttf", "LiberationSerif-Italic.ttf");

    @Override
    public String name() {
        return "ood-detector";
    }

    @Override
    public String task() {
        return "classify";
    }

    @Override
    public String description() {
        return "out-of-distribution detector for " + BASE + " (input statistics + Mahalanobis), weights unchanged";
    }

    @Override
    public int defaultEpochs() {
        return 1;
    }

    @Override
    public ModelCard train(TrainRequest req, TrainingLog log) throws IOException {
        long t0 = System.nanoTime();
        ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("ood-recipe"));
        if (!BASE.equals(req.modelName())) {
            // a segmenter or localizer just trained into --out is fitted there; the built-in one otherwise
            boolean trained = Files.isRegularFile(req.out().resolve(req.modelName()).resolve(req.version()).resolve("model.json"));
            return canvases(trained ? ModelRepository.open(req.out() + "," + ModelRepository.CLASSPATH,
                    Files.createTempDirectory("ood-recipe")) : repo, req, log, t0);
        }
        ModelRepository.Resolved base = repo.resolve(BASE);
        Path outDir = req.out().resolve(req.modelName()).resolve(req.version());
        Files.createDirectories(outDir);
        try (LoadedModel model = ModelLoader.load(base.dir(), Device.cpu())) {
            Mnist train = Mnist.read(req.data(), Mnist.Split.TRAIN);
            if (req.limit() > 0) {
                train = train.head(req.limit());
            }
            Mnist test = Mnist.bundledTestSet();
            log.line("reading " + train.count() + " training digits, " + test.count() + " test digits and the non-digit sets");
            // the cuts must accept what the classifier was trained on: digits shifted by up to its recipe's shift
            int shift = model.card().recipe() != null && model.card().recipe().get("shiftPixels") instanceof Number n
                    ? n.intValue() : 0;
            OodStudy.Scored tr = OodStudy.shiftedDigits(model, train, shift, req.seed());
            OodStudy.Scored te = OodStudy.digits(model, test);
            OodImages tuningGen = new OodImages(OodImages.fonts(TUNING_FONTS.stream().map(f -> Path.of(FONTS + f)).toList()));
            OodSet tuning = OodSet.generate(tuningGen, TUNING_SEED, Map.of(Group.PHOTOS, 200, Group.TEXTURES, 200,
                    Group.LETTERS, 300, Group.BLANK, 100, Group.NOISE, 100), List.of(), 0);
            Random fr = new Random(TUNING_SEED + 1);
            List<OodSet.Entry> framed = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                framed.add(new OodSet.Entry(Group.LETTERS, "framed-" + i, tuningGen.framedLetter(fr)));
            }
            OodStudy.Scored tu = OodStudy.pictures(model, tuning);
            OodStudy.Scored fx = OodStudy.pictures(model, new OodSet(framed));
            OodStudy.Scored ev = OodStudy.pictures(model, OodSet.bundled());
            OodStudy.Scored gen = OodStudy.planes(model, generatedDigits(repo, GENERATED));
            OodStudy.Scored real = RealWorldFit.fittingDigits(model, train);
            List<RealDigits.Sample> heldOut = RealWorldFit.heldOut(Path.of(RealWorldFit.DEJAVU));
            log.line("read " + real.size() + " real-world digits to fit on and " + heldOut.size() + " held out");

            int[] labels = new int[train.count()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = train.label(i);
            }
            Mahalanobis fitted = Mahalanobis.fit(tr.features(), labels, model.card().labels().size(), RIDGE);
            Path params = outDir.resolve(PARAMETERS);
            OodDetector.writeParameters(params, fitted.means(), fitted.precision());
            // the cut is taken on the parameters as stored (float32), as the worker will read them
            double[][][] stored = OodDetector.readParameters(params);
            Mahalanobis m = new Mahalanobis(stored[0], stored[1]);

            OodCandidates candidates = new OodCandidates(m);
            List<Map<String, Object>> table = candidates.compare(BUDGETS, tr, te, test, tu, fx, ev, gen, log);

            List<String> chosen = candidates.rules().get(OodCandidates.CHOSEN);
            // the chosen rule's cuts: each at its quantile of MNIST's training digits or of the real-world
            // fitting digits, whichever lets more through, so neither kind loses more than its budget
            OodStudy.Scored fitting = OodStudy.concat(tr, real);
            Map<String, double[]> cuts = candidates.cuts(chosen, tr, TRAIN_REJECTION / chosen.size());
            RealWorldFit.widen(cuts, candidates.cuts(chosen, real, TRAIN_REJECTION / chosen.size()));
            float[][] others = new float[tu.size() + fx.size()][];
            System.arraycopy(tu.features(), 0, others, 0, tu.size());
            System.arraycopy(fx.features(), 0, others, tu.size(), fx.size());
            FeatureProbe probe = RealWorldFit.probe(fitting.features(), others, outDir);
            double probeCut = RealWorldFit.probeCut(probe, tr, real);
            Map<String, Object> statBounds = new LinkedHashMap<>();
            for (String s : OodCandidates.STATS) {
                boolean low = s.endsWith("-");
                statBounds.put(low ? s.substring(0, s.length() - 1) : s, Map.of(low ? "min" : "max", cuts.get(s)[0]));
            }
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("method", "input-statistics+mahalanobis+probe");
            spec.put("threshold", OodDetector.THRESHOLD);
            spec.put("score", "the largest of: each input statistic over its cut (for ink: its cut over it), the"
                    + " squared Mahalanobis distance of the penultimate features to the nearest class over its cut, and the"
                    + " probe's odds that the input is not a digit over their cut");
            spec.put("inputStatistics", statBounds);
            spec.put("mahalanobis", Map.of("max", cuts.get("mahalanobis")[0], "parameters", PARAMETERS,
                    "features", "penultimate layer (dense 200 after batch norm and ReLU), inference mode",
                    "covariance", "shared by the classes, ridge " + RIDGE));
            spec.put("probe", Map.of("max", probeCut, "parameters", RealWorldFit.PROBE_PARAMETERS,
                    "features", "the same penultimate features, standardised",
                    "fit", "logistic regression (L2 " + LogisticProbe.L2 + ", " + LogisticProbe.STEPS + " steps), classes weighed"
                            + " equally: the fitting digits against the tuning set of non-digits and the framed letters"));
            Map<String, Object> fit = new LinkedHashMap<>();
            fit.put("data", train.count() + " MNIST training digits, each shifted by up to " + shift + " px as the classifier's"
                    + " training shifted them (seed " + req.seed() + "), for the class means and shared covariance; with " + RealWorldFit.REAL_FIT
                    + " real-world digits (RealDigits, seed " + RealWorldFit.REAL_FIT_SEED + ": MNIST training digits and Liberation and FreeFont"
                    + " digits on paper and screens, 8/16-bit, grey/RGB, alpha, JPEG) for the cuts: each statistic's and the distance's"
                    + " at the quantile leaving " + (TRAIN_REJECTION / chosen.size()) + " of the MNIST digits or of the real-world"
                    + " ones beyond it (whichever lets more through), the probe's leaving " + RealWorldFit.PROBE_REJECTION);
            fit.put("trainingRejection", TRAIN_REJECTION);
            fit.put("disjointness", "the probe is fitted on a tuning set of non-digits (seed " + TUNING_SEED + ", Liberation"
                    + " fonts, generated scenes only) and 500 framed letters, disjoint from the evaluation set (seed "
                    + OodSet.EVALUATION_SEED + ", DejaVu fonts, crops of the demo photos); the real-world digits it is judged on"
                    + " (seed " + RealWorldFit.REAL_EVAL_SEED + ", MNIST test digits, DejaVu fonts) are not fitted on; the candidates"
                    + " below are cut on MNIST training digits alone, as first chosen");
            fit.put("candidates", table);
            fit.put("command", "train --recipe " + name() + " --data DIR --out DIR --name " + BASE);
            fit.put("wallSeconds", Math.round((System.nanoTime() - t0) / 1e9));
            spec.put("fit", fit);

            ModelCard baseCard = model.card();
            ModelCard card = withDetector(baseCard, base.dir(), req, outDir, spec);
            // measure the written model exactly as evaluate will, and record it
            try (LoadedModel written = ModelLoader.load(outDir, Device.cpu())) {
                OodDetector ood = OodDetector.fromCard(written.card().options(), outDir);
                List<ModelCard.Metric> metrics = new ArrayList<>();
                ModelCard.Metric accuracy = baseCard.metric("accuracy");
                metrics.add(accuracy);
                metrics.addAll(OodEvaluation.metrics(written, ood, test, OodSet.bundled(), accuracy.value()));
                metrics.addAll(OodEvaluation.realDigits(written, ood, heldOut, RealWorldFit.heldOutDescription()));
                metrics.forEach(mt -> log.line(String.format(Locale.ROOT, "  %s = %.4f", mt.name(), mt.value())));
                card = withMetrics(card, metrics, mergeData(baseCard.data(), req.data()));
            }
            ModelLoader.writeCard(outDir, card);
            return card;
        }
    }

    /**
     * The rule of a segment or localize model ({@code --name mnist-seg-deeplab}, {@code mnist-cam},
     * or one just trained into {@code --out}): input statistics only ({@link CanvasOod}), cut on {@link #CANVASES}
     * scenes or canvases of training digits.
     */
    private ModelCard canvases(ModelRepository repo, TrainRequest req, TrainingLog log, long t0) throws IOException {
        ModelRepository.Resolved base;
        try {
            base = repo.resolve(req.modelName());
        } catch (io.imageworker.models.UnknownModelException e) {
            base = null;
        }
        ModelCard baseCard = base == null ? null : base.card();
        boolean segment = baseCard != null && "segment".equals(baseCard.task());
        if (baseCard == null || !segment && !"localize".equals(baseCard.task())) {
            throw new IllegalArgumentException("ood-detector fits " + BASE + " or a segment or localize model"
                    + " (built in, or trained into --out), not " + req.modelName());
        }
        Mnist train = Mnist.read(req.data(), Mnist.Split.TRAIN);
        log.line("fitting the input-statistics rule of " + baseCard.id() + " on " + CANVASES + " images of training digits");
        List<float[]> fitted = segment ? SceneGenerator.standard(train).images(CANVAS_SEED, CANVASES)
                : CanvasGenerator.standard(train).images(CANVAS_SEED, CANVASES);
        Map<String, Object> spec = CanvasOod.fit(fitted, baseCard.input().width(), TRAIN_REJECTION);
        Map<String, Object> fit = new LinkedHashMap<>();
        fit.put("data", CANVASES + " " + baseCard.task() + " inputs generated from MNIST training digits (seed " + CANVAS_SEED
                + ", the generator the model was trained with); each cut at the quantile leaving "
                + (TRAIN_REJECTION / CanvasOod.PARTS.length) + " of them beyond it");
        fit.put("disjointness", "no non-digit image is used to fit; evaluation uses the test-digit scenes or canvases"
                + " of the model's own evaluation and datasets/ood");
        fit.put("command", "train --recipe " + name() + " --data DIR --out DIR --name " + req.modelName());
        fit.put("wallSeconds", Math.round((System.nanoTime() - t0) / 1e9));
        spec.put("fit", fit);
        Path outDir = req.out().resolve(req.modelName()).resolve(req.version());
        Files.createDirectories(outDir);
        ModelCard card = withDetector(baseCard, base.dir(), req, outDir, spec);
        OodDetector ood = OodDetector.fromCard(card.options(), outDir);
        List<ModelCard.Metric> metrics = new ArrayList<>();
        for (ModelCard.Metric m : baseCard.metrics()) {
            if (!m.name().startsWith("abstention-")) {
                metrics.add(m);
            }
        }
        metrics.addAll(segment ? CanvasOod.onTestScenes(card, ood, 0) : CanvasOod.onTestCanvases(card, ood, 0));
        metrics.forEach(m -> log.line(String.format(Locale.ROOT, "  %s = %.4f", m.name(), m.value())));
        card = withMetrics(card, metrics, card.data());
        ModelLoader.writeCard(outDir, card);
        return card;
    }

    /**
     * The base model's weights copied to {@code outDir} and its card, named as the request says, with
     * the detector {@code spec} added to its options; the card is written too.
     */
    private static ModelCard withDetector(ModelCard base, Path baseDir, TrainRequest req, Path outDir,
            Map<String, Object> spec) throws IOException {
        Map<String, Object> options = new LinkedHashMap<>();
        if (base.options() != null) {
            options.putAll(base.options());
        }
        options.put(OodDetector.OPTION, spec);
        Files.copy(baseDir.resolve(base.weights() + "-0000.params"), outDir.resolve(base.weights() + "-0000.params"),
                StandardCopyOption.REPLACE_EXISTING);
        ModelCard card = base.toBuilder().name(req.modelName()).version(req.version()).options(options).build();
        ModelLoader.writeCard(outDir, card);
        return card;
    }

    /** {@code card} with other metrics and data. */
    private static ModelCard withMetrics(ModelCard card, List<ModelCard.Metric> metrics, Map<String, String> data) {
        return card.toBuilder().metrics(metrics).data(data).build();
    }

    /**
     * The first {@code n} digits of {@code mnist-dcgan}'s evaluation seeds, rounded to 8 bits as a
     * PNG stores them: digits a user may well send, which the detector should accept.
     */
    static List<float[]> generatedDigits(ModelRepository repo, int n) throws IOException {
        ModelRepository.Resolved g = repo.resolve("mnist-dcgan");
        try (LoadedModel gan = ModelLoader.load(g.dir(), Device.cpu())) {
            ModelCard c = gan.card();
            List<float[]> out = GenerationEvaluation.generate(gan.model(), Device.cpu(), c.intOption("latent", 64),
                    c.intOption("classes", 10), c.taskOption(io.imageworker.tasks.generate.Latents.TRUNCATION_OPTION, 0), n);
            for (float[] p : out) {
                for (int i = 0; i < p.length; i++) {
                    p[i] = Math.round(p[i] * 255) / 255f;
                }
            }
            return out;
        }
    }

    private static Map<String, String> mergeData(Map<String, String> base, Path data) throws IOException {
        Map<String, String> out = new LinkedHashMap<>(base == null ? Map.of() : base);
        for (Path p : Mnist.files(data, Mnist.Split.TRAIN)) {
            out.put(p.getFileName().toString(), Checksums.sha256(p));
        }
        return out;
    }
}
