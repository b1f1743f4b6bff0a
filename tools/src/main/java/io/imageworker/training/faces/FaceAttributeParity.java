package io.imageworker.training.faces;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.tasks.faces.FaceAttributeTranslator;
import io.imageworker.tasks.faces.FaceAttributes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The imported face-api models against the originals: the face crops of the parity set the
 * application carries ({@code datasets/face-attributes}: every hand-labelled face of the faces
 * evaluation set, cut out and sized to 112 x 112 the way face-api does, as PNGs) with the outputs
 * face-api 1.7.15 gives for them in TF.js ({@code reference.json}, written by
 * {@code deploy/tfjs-parity/faceapi.js reference}). Both sides read the same PNGs.
 */
public final class FaceAttributeParity {

    /** Where the parity set lies on the classpath. */
    public static final String BUNDLED = "/datasets/face-attributes/";

    private static final ObjectMapper JSON = new ObjectMapper();

    private FaceAttributeParity() {}

    /**
     * One face.
     *
     * @param image the crop's file name
     * @param source the photo of the faces evaluation set it was cut from
     * @param output the imported model's outputs (landmarks: in pixels of the 112 px crop)
     * @param reference the original's
     */
    public record Scored(String image, String source, float[] output, float[] reference) {

        /** The largest difference of one value (probability), or of one point's position (pixels, Euclidean). */
        public double maxDiff(boolean points) {
            double max = 0;
            if (points) {
                for (int i = 0; i + 1 < output.length; i += 2) {
                    max = Math.max(max, Math.hypot(output[i] - reference[i], output[i + 1] - reference[i + 1]));
                }
            } else {
                for (int i = 0; i < output.length; i++) {
                    max = Math.max(max, Math.abs(output[i] - reference[i]));
                }
            }
            return max;
        }
    }

    /**
     * Parity of a face-api model (its card's architecture option {@code network}) with the
     * original: {@code parity-max-abs-diff-px} (landmarks: the largest distance of a point from the
     * original's, pixels of the 112 px crop; bar 0.5) or {@code parity-max-abs-diff} (expressions:
     * the largest difference of a class probability; bar 1e-3).
     */
    public static List<ModelCard.Metric> evaluate(LoadedModel model) throws IOException {
        ModelCard card = model.card();
        boolean landmarks = FaceAttributes.LANDMARKS_68.equals(FaceAttributes.network(card));
        List<Scored> scored = score(model, landmarks);
        double max = 0;
        for (Scored s : scored) {
            max = Math.max(max, s.maxDiff(landmarks));
        }
        JsonNode ref = reference();
        String data = "face-attributes parity set datasets/face-attributes (" + scored.size() + " faces of the faces "
                + "evaluation set, cut and sized to 112 px as face-api does) against " + ref.path("package").asText() + " "
                + ref.path("version").asText() + " in TF.js " + ref.path("tfjs").asText() + " (" + ref.path("backend").asText()
                + " backend)";
        return List.of(landmarks
                ? new ModelCard.Metric("parity-max-abs-diff-px", max, data + "; the largest distance of a landmark from the "
                        + "original's, pixels of the crop", 0.5)
                : new ModelCard.Metric("parity-max-abs-diff", max, data + "; the largest absolute difference of an "
                        + "expression probability", 1e-3));
    }

    /** The reference file. */
    public static JsonNode reference() throws IOException {
        try (InputStream in = FaceAttributeParity.class.getResourceAsStream(BUNDLED + "reference.json")) {
            if (in == null) {
                throw new IOException("the face-attributes parity set is missing from the classpath (" + BUNDLED + ")");
            }
            return JSON.readTree(in);
        }
    }

    /**
     * Runs {@code model} (a face-api landmark or expression model) on every crop of the set.
     *
     * @param landmarks true for the landmark model: its outputs are scaled to crop pixels (times
     *     112) and compared with the reference's {@code landmarks}; false: the {@code expressions}
     */
    public static List<Scored> score(LoadedModel model, boolean landmarks) throws IOException {
        ModelCard card = model.card();
        List<Scored> out = new ArrayList<>();
        try (Predictor<ImageTensor, float[]> p = model.newPredictor(new FaceAttributeTranslator())) {
            for (JsonNode face : reference().path("faces")) {
                String name = face.path("image").asText();
                BufferedImage img;
                try (InputStream in = FaceAttributeParity.class.getResourceAsStream(BUNDLED + "images/" + name)) {
                    if (in == null) {
                        throw new IOException("parity image " + name + " is missing");
                    }
                    img = ImageIO.read(in);
                }
                float[] y = p.predict(Preprocessor.toTensor(img, card.input().spec()));
                if (landmarks) {
                    for (int i = 0; i < y.length; i++) {
                        y[i] *= card.input().width();
                    }
                }
                JsonNode r = face.path(landmarks ? "landmarks" : "expressions");
                float[] ref = new float[r.size()];
                for (int i = 0; i < ref.length; i++) {
                    ref[i] = (float) r.get(i).asDouble();
                }
                out.add(new Scored(name, face.path("source").asText(), y, ref));
            }
        } catch (TranslateException e) {
            throw new IOException("model " + card.id() + " failed on the face-attributes parity set: " + e.getMessage(), e);
        }
        return out;
    }
}
