package io.imageworker.training.ood;

import io.imageworker.inference.ood.FeatureProbe;
import io.imageworker.models.LoadedModel;
import io.imageworker.datasets.Mnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real-world part of the classifier's out-of-distribution fit ({@link OodRecipe}): the
 * generated real-world digits the cuts are also taken on, the held-out ones the rule is judged on,
 * and the linear probe against digit-like non-digits with its cut. The fitting digits use MNIST
 * training digits and Liberation and FreeFont fonts; the held-out ones MNIST test digits and the
 * DejaVu fonts the tests ship, another seed: nothing is shared.
 */
public final class RealWorldFit {

    /** File of the probe beside the weights. */
    public static final String PROBE_PARAMETERS = "ood-probe.bin";
    /**
     * Share of the fitting digits (shifted MNIST training digits or real-world ones) the probe may
     * reject: as much again as the other components together, since it is the one that tells
     * letters drawn like digits from digits.
     */
    public static final double PROBE_REJECTION = 0.002;
    /** Real-world digits the cuts are also taken on. */
    public static final int REAL_FIT = 3000;
    /** Their seed. */
    public static final long REAL_FIT_SEED = 101;
    /** Held-out real-world digits the rule is judged on: never fitted on. */
    public static final int REAL_EVAL = 2000;
    /** Seed of the held-out real-world digits. */
    public static final long REAL_EVAL_SEED = 20261207L;
    /** The DejaVu fonts of the held-out real-world digits: the files the tests ship under src/test/resources/fonts. */
    public static final List<String> REAL_EVAL_FONTS = List.of("DejaVuSans-Bold.ttf", "DejaVuSans-ExtraLight.ttf",
            "DejaVuSans.ttf", "DejaVuSansCondensed-Oblique.ttf", "DejaVuSansMono.ttf", "DejaVuSerif-Italic.ttf",
            "DejaVuSerif.ttf", "DejaVuSerifCondensed-Bold.ttf");
    /** Where Debian installs those fonts (the recipe reads them there). */
    public static final String DEJAVU = "/usr/share/fonts/truetype/dejavu/";
    /** Fonts of the fitting digits: every TrueType file in these folders. */
    static final List<String> REAL_FIT_FONT_FOLDERS = List.of("/usr/share/fonts/truetype/liberation2/",
            "/usr/share/fonts/truetype/freefont/");

    private RealWorldFit() {}

    /** The {@link #REAL_FIT} fitting digits made from {@code train}, read through the worker's preprocessing. */
    static OodStudy.Scored fittingDigits(LoadedModel model, Mnist train) throws IOException {
        return OodStudy.realDigits(model, new RealDigits(OodImages.fonts(fontFiles(REAL_FIT_FONT_FOLDERS)), train)
                .generate(REAL_FIT_SEED, REAL_FIT));
    }

    /**
     * The held-out real-world digits: {@link #REAL_EVAL} from {@link #REAL_EVAL_SEED}, the bundled MNIST
     * test digits and the {@link #REAL_EVAL_FONTS} read from {@code fontFolder}.
     *
     * @throws IOException when a font is missing or not TrueType
     */
    public static List<RealDigits.Sample> heldOut(Path fontFolder) throws IOException {
        List<Path> fonts = REAL_EVAL_FONTS.stream().map(fontFolder::resolve).toList();
        return new RealDigits(OodImages.fonts(fonts), Mnist.bundledTestSet()).generate(REAL_EVAL_SEED, REAL_EVAL);
    }

    /** What the held-out real-world digits are, for the card. */
    public static String heldOutDescription() {
        return REAL_EVAL + " held-out real-world digits (RealDigits, seed " + REAL_EVAL_SEED + ", MNIST test digits and 8 DejaVu"
                + " fonts, never fitted on), through the worker's preprocessing";
    }

    /**
     * Widens each cut of {@code cuts} to the real-world digits' one where that lets more through
     * (a name ending in '-' is a lower cut).
     */
    static void widen(Map<String, double[]> cuts, Map<String, double[]> realCuts) {
        cuts.replaceAll((c, v) -> new double[] {c.endsWith("-") ? Math.min(v[0], realCuts.get(c)[0])
                : Math.max(v[0], realCuts.get(c)[0])});
    }

    /** Fits the probe, writes it to {@code outDir} and returns it as the worker will read it. */
    static FeatureProbe probe(float[][] digits, float[][] others, Path outDir) throws IOException {
        LogisticProbe.fit(digits, others).write(outDir.resolve(PROBE_PARAMETERS));
        return FeatureProbe.read(outDir.resolve(PROBE_PARAMETERS));
    }

    /** The probe's odds cut: leaving {@link #PROBE_REJECTION} of MNIST's or of the real-world digits beyond it, whichever lets more through. */
    static double probeCut(FeatureProbe probe, OodStudy.Scored mnist, OodStudy.Scored real) {
        return Math.exp(Math.max(OodStudy.quantile(logits(probe, mnist), 1 - PROBE_REJECTION),
                OodStudy.quantile(logits(probe, real), 1 - PROBE_REJECTION)));
    }

    private static double[] logits(FeatureProbe probe, OodStudy.Scored set) {
        double[] out = new double[set.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = probe.logit(set.features()[i]);
        }
        return out;
    }

    /** Every TrueType file in {@code folders}, sorted by name. */
    private static List<Path> fontFiles(List<String> folders) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String folder : folders) {
            try (var files = Files.list(Path.of(folder))) {
                files.filter(f -> f.toString().endsWith(".ttf")).sorted().forEach(out::add);
            }
        }
        return out;
    }
}
