package io.imageworker.training.safesearch;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.tasks.classify.ClassifierOutput;
import io.imageworker.tasks.classify.ClassifyTranslator;
import io.imageworker.tasks.safesearch.SafeSearchMapping;
import io.imageworker.training.ModelEvaluation;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A safe-search model on the parity set the application carries ({@code datasets/safe-search}: 26
 * neutral photos and drawings at 224 px, with the class probabilities nsfwjs's original MobileNetV2
 * gives them in TF.js). Metrics: {@code parity-max-abs-diff} (the largest difference of a class
 * probability from the original's, over every image and class; for a model whose card's
 * provenance names a recorded original, {@code provenance.model}), and {@code adult-unlikely-neutral}
 * (the share of these neutral images whose adult likelihood is VERY_UNLIKELY or UNLIKELY at the
 * default thresholds).
 */
public final class SafeSearchEvaluation implements ModelEvaluation {

    /** The shared instance (ServiceLoader makes its own). */
    public static final SafeSearchEvaluation INSTANCE = new SafeSearchEvaluation();

    /** The task whose models this evaluation measures. */
    public static final String TASK = "safe-search";

    /** Where the parity set lies on the classpath. */
    public static final String BUNDLED = "/datasets/safe-search/";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** For {@link java.util.ServiceLoader}, which finds the evaluations; use {@link #INSTANCE}. */
    public SafeSearchEvaluation() {}

    /** {@value #TASK}. */
    @Override
    public String task() {
        return TASK;
    }

    /** The class names of nsfwjs's models, in their output order (nsfwjs dist/cjs/nsfw_classes.js). */
    public static final List<String> NSFWJS_LABELS = List.of("drawing", "hentai", "neutral", "porn", "sexy");

    /** True: the evaluation is parity with the recorded TF.js original, so an import is measured by default. */
    @Override
    public boolean measuresImports() {
        return true;
    }

    /** nsfwjs's class names ({@link #NSFWJS_LABELS}): the original the parity set records. */
    @Override
    public List<String> importLabels() {
        return NSFWJS_LABELS;
    }

    /**
     * The class probabilities of the model for every image of the set, with the original's.
     *
     * @param image file name in {@code images/}
     * @param probabilities the model's, in its label order
     * @param reference the TF.js original's, or null when no original is recorded for the model
     */
    public record Scored(String image, float[] probabilities, float[] reference) {

        /** The largest absolute difference from the reference, or NaN without one. */
        public double maxAbsDiff() {
            if (reference == null) {
                return Double.NaN;
            }
            double d = 0;
            for (int i = 0; i < probabilities.length; i++) {
                d = Math.max(d, Math.abs(probabilities[i] - reference[i]));
            }
            return d;
        }
    }

    /**
     * The recorded original of {@code card}: the JSON of {@code <provenance.model>.json} in the
     * set, or null when there is none.
     */
    public static JsonNode reference(ModelCard card) throws IOException {
        Object model = card.provenance() == null ? null : card.provenance().get("model");
        if (model == null) {
            return null;
        }
        try (InputStream in = SafeSearchEvaluation.class.getResourceAsStream(BUNDLED + model + ".json")) {
            return in == null ? null : JSON.readTree(in);
        }
    }

    /** The set's image file names, in {@code index.txt}'s order. */
    public static List<String> images() throws IOException {
        try (InputStream in = SafeSearchEvaluation.class.getResourceAsStream(BUNDLED + "index.txt")) {
            if (in == null) {
                throw new IOException("the safe-search parity set is missing from the classpath (" + BUNDLED + ")");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank()).map(l -> l.split(" ")[0]).toList();
        }
    }

    /** Runs the model on the set (the first {@code limit} images; 0: all) through the worker's translator. */
    public static List<Scored> score(LoadedModel model, int limit) throws IOException {
        ModelCard card = model.card();
        JsonNode ref = reference(card);
        List<String> names = images();
        if (limit > 0) {
            names = names.subList(0, Math.min(limit, names.size()));
        }
        List<Scored> out = new ArrayList<>();
        try (Predictor<ImageTensor, ClassifierOutput> p = model.newPredictor(new ClassifyTranslator(card))) {
            for (String name : names) {
                BufferedImage img;
                try (InputStream in = SafeSearchEvaluation.class.getResourceAsStream(BUNDLED + "images/" + name)) {
                    img = ImageIO.read(in);
                }
                float[] probs = p.predict(Preprocessor.toTensor(img, card.input().spec())).probabilities();
                float[] r = null;
                if (ref != null && ref.path("probabilities").has(name)) {
                    JsonNode a = ref.path("probabilities").path(name);
                    r = new float[a.size()];
                    for (int i = 0; i < r.length; i++) {
                        r[i] = (float) a.get(i).asDouble();
                    }
                }
                out.add(new Scored(name, probs, r));
            }
        } catch (TranslateException e) {
            throw new IOException("model " + card.id() + " failed on the safe-search parity set: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public List<ModelCard.Metric> evaluate(LoadedModel model, int limit) throws IOException {
        ModelCard card = model.card();
        List<Scored> scored = score(model, limit);
        SafeSearchMapping mapping = SafeSearchMapping.of(card.labels(), SafeSearchMapping.DEFAULT_THRESHOLDS);
        String data = "safe-search parity set datasets/safe-search (" + scored.size()
                + " neutral photos and drawings at 224 px, 8-bit PNG / 255)";
        List<ModelCard.Metric> metrics = new ArrayList<>();
        if (scored.stream().allMatch(s -> s.reference() != null)) {
            double max = scored.stream().mapToDouble(Scored::maxAbsDiff).max().orElse(0);
            JsonNode ref = reference(card);
            metrics.add(new ModelCard.Metric("parity-max-abs-diff", max, data + "; the largest absolute difference of a"
                    + " class probability from the original's, over every image and class; original: nsfwjs "
                    + ref.path("nsfwjs").asText() + " " + ref.path("model").asText() + " on @tensorflow/tfjs "
                    + ref.path("tfjs").asText() + " (" + ref.path("backend").asText() + " backend, Node "
                    + ref.path("node").asText() + "), recorded by deploy/tfjs-parity/parity.js; bar (a ceiling) 1e-3", 1e-3));
        }
        long unlikely = scored.stream().filter(s -> mapping.likelihood(mapping.adult(s.probabilities())).ordinal()
                <= io.imageworker.tasks.Likelihood.UNLIKELY.ordinal()).count();
        metrics.add(new ModelCard.Metric("adult-unlikely-neutral", round((double) unlikely / scored.size()), data
                + "; share whose adult likelihood is VERY_UNLIKELY or UNLIKELY at the default thresholds "
                + java.util.Arrays.toString(SafeSearchMapping.DEFAULT_THRESHOLDS) + "; bar: all of them", 1.0));
        return metrics;
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
