package io.imageworker.training.faces;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.tasks.faces.FaceDetection;
import io.imageworker.tasks.faces.FaceDetectorOutput;
import io.imageworker.tasks.faces.FacesTask;
import io.imageworker.tasks.faces.HardNms;
import io.imageworker.tasks.faces.SsdDecoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The imported face-api SSD-MobileNetV1 against the original: seven 512 x 512 inputs built from the
 * face crops of the parity set ({@link FaceAttributeParity#BUNDLED}) by whole-pixel copies only, so
 * that Java and {@code deploy/tfjs-parity/faceapi.js ssd-reference} build them bit for bit (three
 * mosaics of 16 crops at 112 px on a 4 x 4 grid of 128 px cells, three crops enlarged 4 times by
 * nearest neighbour, one plain grey), and what face-api 1.7.15 gives for them in TF.js
 * ({@code ssd-reference.json}): the 100 best-scored anchors of each input (score and decoded box)
 * and {@code locateFaces}' faces at minConfidence 0.5.
 */
public final class SsdParity {

    /** The reference file, beside the parity set's crops. */
    public static final String REFERENCE = FaceAttributeParity.BUNDLED + "ssd-reference.json";
    /** face-api's {@code locateFaces} default {@code minConfidence}, the cut the reference's faces were found at. */
    public static final double MIN_CONFIDENCE = 0.5;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SIZE = SsdDecoder.INPUT_SIZE;

    private SsdParity() {}

    /**
     * How far the imported model is from the original.
     *
     * @param maxScoreDiff the largest difference of an anchor's score, over the reference's anchors
     * @param maxBoxDiffPx the largest difference of a box edge, pixels of the 512 px input, over the
     *     reference's anchors and faces
     * @param facesMissed reference faces with no face of ours at IoU 0.9 or more, plus faces of ours
     *     beyond the reference's count
     * @param anchors anchors compared
     * @param faces reference faces
     */
    public record Result(double maxScoreDiff, double maxBoxDiffPx, int facesMissed, int anchors, int faces) {}

    /**
     * The seven inputs, named as the reference names them.
     *
     * @return name to 512 x 512 RGB image, in the reference's order
     */
    public static List<java.util.Map.Entry<String, BufferedImage>> inputs() throws IOException {
        List<String> crops = new ArrayList<>();
        for (JsonNode face : FaceAttributeParity.reference().path("faces")) {
            crops.add(face.path("image").asText());
        }
        crops.sort(null);
        List<java.util.Map.Entry<String, BufferedImage>> out = new ArrayList<>();
        for (int m = 0; 16 * m < crops.size(); m++) {
            BufferedImage canvas = canvas();
            for (int i = 0; i < 16 && 16 * m + i < crops.size(); i++) {
                put(canvas, crop(crops.get(16 * m + i)), 8 + 128 * (i % 4), 8 + 128 * (i / 4), 1);
            }
            out.add(java.util.Map.entry("mosaic-" + m, canvas));
        }
        for (int k : new int[] {0, 10, 20}) {
            BufferedImage canvas = canvas();
            put(canvas, crop(crops.get(k)), 32, 32, 4);
            out.add(java.util.Map.entry("large-" + crops.get(k).replaceFirst("\\.png$", ""), canvas));
        }
        BufferedImage grey = canvas();
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                grey.setRGB(x, y, 0x808080);
            }
        }
        out.add(java.util.Map.entry("grey", grey));
        return out;
    }

    /**
     * Runs {@code model} (face-api's SSD imported) on the inputs and compares with the reference.
     *
     * @throws IOException when the reference or a crop is missing, or the model fails
     */
    public static Result compare(LoadedModel model) throws IOException {
        ModelCard card = model.card();
        JsonNode ref;
        try (InputStream in = SsdParity.class.getResourceAsStream(REFERENCE)) {
            if (in == null) {
                throw new IOException("the SSD parity reference is missing from the classpath (" + REFERENCE + ")");
            }
            ref = JSON.readTree(in);
        }
        List<java.util.Map.Entry<String, BufferedImage>> inputs = inputs();
        double scoreDiff = 0;
        double boxDiff = 0;
        int missed = 0;
        int anchors = 0;
        int faces = 0;
        try (Predictor<ImageTensor, FaceDetectorOutput> p = model.newPredictor(FacesTask.detector(card))) {
            for (JsonNode r : ref.path("inputs")) {
                String name = r.path("input").asText();
                BufferedImage img = inputs.stream().filter(e -> e.getKey().equals(name)).findFirst()
                        .orElseThrow(() -> new IOException("the reference's input " + name + " is not one SsdParity builds"))
                        .getValue();
                FaceDetectorOutput out = p.predict(Preprocessor.toTensor(img, card.input().spec()));
                List<FaceDetection> all = out.decode(0); // every anchor, in anchor order
                for (JsonNode a : r.path("top")) {
                    FaceDetection d = all.get(a.path("index").asInt());
                    scoreDiff = Math.max(scoreDiff, Math.abs(d.score() - a.path("score").asDouble()));
                    JsonNode b = a.path("box"); // ymin, xmin, ymax, xmax
                    boxDiff = Math.max(boxDiff, SIZE * max(d.y() - b.get(0).asDouble(), d.x() - b.get(1).asDouble(),
                            d.y1() - b.get(2).asDouble(), d.x1() - b.get(3).asDouble()));
                    anchors++;
                }
                List<FaceDetection> ours = HardNms.apply(out.decode(MIN_CONFIDENCE), HardNms.DEFAULT_IOU, 100);
                for (JsonNode f : r.path("faces")) {
                    JsonNode b = f.path("box"); // x, y, width, height in input pixels
                    FaceDetection theirs = new FaceDetection(b.get(0).asDouble() / SIZE, b.get(1).asDouble() / SIZE,
                            b.get(2).asDouble() / SIZE, b.get(3).asDouble() / SIZE, FaceDetection.NO_KEYPOINTS,
                            f.path("score").asDouble());
                    FaceDetection match = ours.stream().max(java.util.Comparator.comparingDouble(theirs::iou)).orElse(null);
                    faces++;
                    if (match == null || match.iou(theirs) < 0.9) {
                        missed++;
                        continue;
                    }
                    // locateFaces clips to the input: compare the clipped boxes
                    boxDiff = Math.max(boxDiff, SIZE * max(clip(match.x()) - theirs.x(), clip(match.y()) - theirs.y(),
                            clip(match.x1()) - theirs.x1(), clip(match.y1()) - theirs.y1()));
                }
                missed += Math.max(0, ours.size() - r.path("faces").size());
            }
        } catch (TranslateException e) {
            throw new IOException("model " + card.id() + " failed on the SSD parity inputs: " + e.getMessage(), e);
        }
        return new Result(scoreDiff, boxDiff, missed, anchors, faces);
    }

    /** The parity as card metrics: score difference (bar 1e-3), box difference in pixels (bar 0.5), faces missed (bar 0). */
    public static List<ModelCard.Metric> metrics(LoadedModel model) throws IOException {
        Result r = compare(model);
        String data = "SSD parity inputs (7 of 512 px built from datasets/face-attributes' crops; " + r.anchors()
                + " anchors, the 100 best of each input, and " + r.faces() + " faces) against @vladmandic/face-api 1.7.15 in"
                + " TF.js (cpu backend), ssd-reference.json";
        return List.of(new ModelCard.Metric("parity-max-abs-diff", r.maxScoreDiff(), data + "; the largest difference of an"
                        + " anchor's score", 1e-3),
                new ModelCard.Metric("parity-max-abs-diff-px", r.maxBoxDiffPx(), data + "; the largest difference of a box"
                        + " edge, pixels of the input", 0.5),
                new ModelCard.Metric("parity-faces-abs-diff", r.facesMissed(), data + "; faces found by one side only (IoU"
                        + " below 0.9) at minConfidence 0.5", 0.0));
    }

    private static double clip(double v) {
        return Math.max(0, Math.min(1, v));
    }

    private static double max(double... v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    private static BufferedImage canvas() {
        return new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB); // black
    }

    private static BufferedImage crop(String name) throws IOException {
        try (InputStream in = SsdParity.class.getResourceAsStream(FaceAttributeParity.BUNDLED + "images/" + name)) {
            if (in == null) {
                throw new IOException("parity image " + name + " is missing");
            }
            return ImageIO.read(in);
        }
    }

    /** {@code src} enlarged {@code scale} times by nearest neighbour with its top-left corner at (x0, y0). */
    private static void put(BufferedImage dst, BufferedImage src, int x0, int y0, int scale) {
        for (int y = 0; y < src.getHeight() * scale; y++) {
            for (int x = 0; x < src.getWidth() * scale; x++) {
                dst.setRGB(x0 + x, y0 + y, src.getRGB(x / scale, y / scale) & 0xffffff);
            }
        }
    }
}
