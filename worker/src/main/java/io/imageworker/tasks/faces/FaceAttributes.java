package io.imageworker.tasks.faces;

import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.tasks.Likelihood;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What the faces task says about a face beyond its box: face-api's 68 landmarks and its seven
 * expressions, read as face-api reads them (its {@code extractFaceTensors} and
 * {@code NetInput.toBatchTensor(112, true)}): the detector's box, clipped to the photo, is cut out,
 * padded to a square centred on black and sized to 112 x 112 ({@link FaceCrop}); the landmark
 * model's 136 outputs are the points as fractions of that square, mapped back to photo pixels
 * through the same crop.
 *
 * <p>Expressions to Cloud Vision's likelihoods ({@link #LIKELIHOODS}): {@code joyLikelihood} is the
 * probability of {@code happy}, {@code sorrowLikelihood} of {@code sad}, {@code angerLikelihood} of
 * {@code angry}, {@code surpriseLikelihood} of {@code surprised}, each cut at Cloud Vision's scale
 * with the cuts safe-search uses ({@link Likelihood#DEFAULT_THRESHOLDS}: 0.05 UNLIKELY, 0.2 POSSIBLE,
 * 0.5 LIKELY, 0.8 VERY_LIKELY). {@code neutral}, {@code fearful} and {@code disgusted} have no field
 * in Cloud Vision's {@code FaceAnnotation}; their probabilities are in the item's {@code expressions}.
 */
public final class FaceAttributes {

    /** Architecture option {@code network} of face-api's {@code face_landmark_68_model} imported. */
    public static final String LANDMARKS_68 = "face-api-landmark-68";
    /** Architecture option {@code network} of face-api's {@code face_expression_model} imported. */
    public static final String EXPRESSIONS = "face-api-expression";
    /** The detector card's companion role of the landmark model. */
    public static final String LANDMARKS_ROLE = "landmarks";
    /** The detector card's companion role of the expression model. */
    public static final String EXPRESSIONS_ROLE = "expressions";
    /** The expression classes in the model's output order (face-api's {@code FACE_EXPRESSION_LABELS}). */
    public static final List<String> EXPRESSION_LABELS = List.of("neutral", "happy", "sad", "angry", "fearful",
            "disgusted", "surprised");
    /** Cloud Vision's {@code FaceAnnotation} likelihood fields and the expression each is read from. */
    public static final Map<String, String> LIKELIHOODS = likelihoods();
    /** Landmark count. */
    public static final int POINTS = 68;

    private FaceAttributes() {}

    /**
     * One face's attributes.
     *
     * @param landmarks 68 points, x and y interleaved, photo pixels (of the image the box refers to)
     * @param expressions the 7 probabilities in {@link #EXPRESSION_LABELS} order
     */
    public record Attributes(double[] landmarks, float[] expressions) {

        /** Cloud Vision's likelihood of {@code expression} ({@link #EXPRESSION_LABELS}). */
        public Likelihood likelihood(String expression) {
            return Likelihood.of(expressions[EXPRESSION_LABELS.indexOf(expression)], Likelihood.DEFAULT_THRESHOLDS);
        }
    }

    private static Map<String, String> likelihoods() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("joyLikelihood", "happy");
        m.put("sorrowLikelihood", "sad");
        m.put("angerLikelihood", "angry");
        m.put("surpriseLikelihood", "surprised");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Whether {@code card}'s model is a face-api landmark or expression network: a detector's companion. */
    public static boolean isCompanion(io.imageworker.models.ModelCard card) {
        String network = network(card);
        return LANDMARKS_68.equals(network) || EXPRESSIONS.equals(network);
    }

    /**
     * The face-api network an imported card holds ({@code architectureOptions.network}: {@link
     * #LANDMARKS_68}, {@link #EXPRESSIONS} or {@link SsdDecoder#NETWORK}); null for any other card.
     */
    public static String network(io.imageworker.models.ModelCard card) {
        Object n = card.architectureOptions() == null ? null
                : card.architectureOptions().get(io.imageworker.models.arch.Architectures.NETWORK);
        return n == null ? null : n.toString();
    }

    /**
     * Runs the landmark and expression models on every face of {@code rgb}.
     *
     * @param rgb the photo, opaque RGB, in the pixels the faces' boxes refer to
     * @param faces the detector's faces
     * @param spec the input of the face-api models (both read the same 112 px crop)
     * @param landmarks the landmark model (136 outputs: fractions of the crop)
     * @param expressions the expression model (7 probabilities)
     * @return one entry per face, in order; null for a face whose box lies outside the photo
     */
    public static CompletableFuture<List<Attributes>> measure(BufferedImage rgb, List<FaceDetection> faces,
            Preprocessor.Spec spec, Function<ImageTensor, CompletableFuture<float[]>> landmarks,
            Function<ImageTensor, CompletableFuture<float[]>> expressions) {
        List<CompletableFuture<Attributes>> each = new ArrayList<>();
        for (FaceDetection f : faces) {
            FaceCrop box = FaceCrop.of(f, rgb.getWidth(), rgb.getHeight());
            if (box == null) {
                each.add(CompletableFuture.completedFuture(null));
                continue;
            }
            ImageTensor input = box.tensor(rgb, spec);
            CompletableFuture<float[]> points = landmarks.apply(input);
            CompletableFuture<float[]> probs = expressions.apply(input);
            each.add(points.thenCombine(probs, (p, e) -> new Attributes(toImage(box, p), e)));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
    }

    /** The landmark model's outputs (fractions of the crop, x and y interleaved) in photo pixels. */
    static double[] toImage(FaceCrop box, float[] out) {
        if (out.length != 2 * POINTS) {
            throw new IllegalStateException("the landmark model gave " + out.length + " values, not " + 2 * POINTS);
        }
        double[] p = new double[out.length];
        for (int i = 0; i < out.length; i += 2) {
            p[i] = box.imageX(out[i]);
            p[i + 1] = box.imageY(out[i + 1]);
        }
        return p;
    }
}
