package io.imageworker.training.objects;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.imageworker.datasets.Mnist;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.tasks.faces.Letterbox;
import io.imageworker.tasks.objects.FoundObject;
import io.imageworker.tasks.objects.NanodetDecoder;
import io.imageworker.tasks.objects.NanodetOutput;
import io.imageworker.tasks.objects.NanodetTranslator;
import io.imageworker.tasks.objects.ObjectsTask;
import io.imageworker.training.ModelEvaluation;
import io.imageworker.training.metrics.FaceSet;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Measures an {@code objects} model as the task runs it (letterbox, the card's normalisation,
 * NanoDet's decoding at the card's {@code minScore}) on what the application carries: a first,
 * small check, not the labelled photo set of issue 26 section 4.
 *
 * <ul>
 * <li>{@code photo-top-object}: share of the photos of {@link #PHOTOS} (the bundled faces set's
 *     scikit-image photos, hand-labelled with the one COCO class each shows) whose best object is
 *     that class; bar 1.
 * <li>{@code digit-false-positives}: share of the first {@value #DIGITS} MNIST test digits given any
 *     object; bar (a ceiling) 0.02.
 * </ul>
 */
public final class ObjectEvaluation implements ModelEvaluation {

    /** Photo of the bundled faces set to the COCO class it shows. */
    static final Map<String, String> PHOTOS = new LinkedHashMap<>();

    static {
        PHOTOS.put("skimage-astronaut.png", "person");
        PHOTOS.put("skimage-chelsea.png", "cat");
        PHOTOS.put("skimage-horse.png", "horse");
    }
    /** MNIST test digits measured (the first of the bundled test set). */
    static final int DIGITS = 100;

    @Override
    public String task() {
        return "objects";
    }

    /**
     * @param limit at most this many digits (0: {@value #DIGITS}); every photo is measured
     */
    @Override
    public List<ModelCard.Metric> evaluate(LoadedModel model, int limit) throws IOException {
        ModelCard card = model.card();
        double minScore = card.taskOption("minScore", 0.35);
        NanodetDecoder.Options options = new NanodetDecoder.Options(minScore, 100, Set.of());
        int right = 0;
        int digits = limit > 0 ? Math.min(limit, DIGITS) : DIGITS;
        int falsePositives = 0;
        try (Predictor<ImageTensor, NanodetOutput> predictor = model.newPredictor(new NanodetTranslator())) {
            for (Map.Entry<String, String> p : PHOTOS.entrySet()) {
                List<FoundObject> found = detect(predictor, card, read(p.getKey()), options);
                right += !found.isEmpty() && found.get(0).name().equals(p.getValue()) ? 1 : 0;
            }
            Mnist mnist = Mnist.bundledTestSet();
            for (int i = 0; i < digits; i++) {
                falsePositives += detect(predictor, card, digit(mnist.image(i)), options).isEmpty() ? 0 : 1;
            }
        }
        List<ModelCard.Metric> out = new ArrayList<>();
        out.add(new ModelCard.Metric("photo-top-object", right / (double) PHOTOS.size(), "the bundled faces set's "
                + String.join(", ", PHOTOS.keySet()) + " hand-labelled " + String.join(", ", PHOTOS.values())
                + "; share whose best object at minScore " + minScore + " is that class; bar: all of them", 1.0));
        out.add(new ModelCard.Metric("digit-false-positives", falsePositives / (double) digits, "the first " + digits
                + " MNIST test digits (28 px, letterboxed unenlarged); share given any object at minScore " + minScore
                + "; bar (a ceiling) 0.02", 0.02));
        return out;
    }

    /** The task's steps on one image: letterbox, normalise, run, decode, back to the image's pixels. */
    static List<FoundObject> detect(Predictor<ImageTensor, NanodetOutput> predictor, ModelCard card, BufferedImage image,
            NanodetDecoder.Options options) throws IOException {
        BufferedImage rgb = Preprocessor.flatten(image);
        int size = card.input().width();
        Letterbox view = Letterbox.whole(rgb.getWidth(), rgb.getHeight(), size, ObjectsTask.MAX_UPSCALE);
        try {
            NanodetOutput out = predictor.predict(Preprocessor.toTensor(view.render(rgb), card.input().spec()));
            return FoundObject.inInput(NanodetDecoder.decode(out.scores(), out.boxes(), size, options), view, rgb.getWidth(),
                    rgb.getHeight(), 1);
        } catch (TranslateException e) {
            throw new IOException("model " + card.id() + " failed: " + e.getMessage(), e);
        }
    }

    private static BufferedImage digit(float[] ink) {
        BufferedImage img = new BufferedImage(Mnist.SIDE, Mnist.SIDE, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < ink.length; p++) {
            int v = Math.round(ink[p] * 255);
            img.setRGB(p % Mnist.SIDE, p / Mnist.SIDE, 0xff000000 | v << 16 | v << 8 | v);
        }
        return img;
    }

    private static BufferedImage read(String file) throws IOException {
        try (InputStream in = ObjectEvaluation.class.getResourceAsStream(FaceSet.BUNDLED + "images/" + file)) {
            if (in == null) {
                throw new IOException("the application does not carry " + FaceSet.BUNDLED + "images/" + file);
            }
            return ImageIO.read(in);
        }
    }
}
