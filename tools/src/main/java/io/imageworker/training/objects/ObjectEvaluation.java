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
import java.util.TreeMap;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.jboss.logging.Logger;

/**
 * Measures an {@code objects} model as the task runs it (letterbox, the card's normalisation,
 * NanoDet's decoding at the card's {@code minScore}) on what the application carries: photos
 * hand-labelled and hand-boxed with COCO names, and MNIST digits that must get none.
 *
 * <ul>
 * <li>{@code photo-top-object}: share of the photos of {@link #PHOTOS} (the bundled faces set's
 *     scikit-image photos, hand-labelled with the one COCO class each shows) whose best object is
 *     that class; bar 1.
 * <li>{@code digit-false-positives}: share of the first {@value #DIGITS} MNIST test digits given any
 *     object; bar (a ceiling) 0.02.
 * <li>{@code label-precision}, {@code label-recall}, {@code label-f1}: LABEL_DETECTION on photos (the
 *     distinct classes found at {@code minScore}, as annotate answers a photo) against the
 *     hand-labelled {@link PhotoLabelSet}; {@code label-false-positives-per-empty-photo}: wrong labels per
 *     photo of that set without a COCO object (a ceiling).
 * <li>{@code label-map}: per class shown in the set, average precision of its photos ranked by the
 *     class's best score (down to {@value #RANKING_FLOOR}); the mean.
 * <li>{@code box-ap50}, {@code box-ap50-held-out}: box AP at IoU 0.5 ({@link PhotoBoxSet}), mean over
 *     classes, on every boxed photo and on those nothing was chosen on.
 * </ul>
 */
public final class ObjectEvaluation implements ModelEvaluation {

    private static final Logger LOG = Logger.getLogger(ObjectEvaluation.class);

    /** Photo of the bundled faces set to the COCO class it shows. */
    static final Map<String, String> PHOTOS = new LinkedHashMap<>();

    static {
        PHOTOS.put("skimage-astronaut.png", "person");
        PHOTOS.put("skimage-chelsea.png", "cat");
        PHOTOS.put("skimage-horse.png", "horse");
    }
    /** Floor of label precision on {@link PhotoLabelSet} (measured 0.60 when it was set). */
    static final double PRECISION_BAR = 0.5;
    /** Floor of label recall on {@link PhotoLabelSet} (measured 0.75). */
    static final double RECALL_BAR = 0.6;
    /** Ceiling of wrong labels per photo without a COCO object (measured 0.114: 4 on 35). */
    static final double EMPTY_BAR = 0.15;
    /** Label mAP's floor on {@link PhotoLabelSet} (measured 0.829 when it was set). */
    static final double LABEL_MAP_BAR = 0.75;
    /** Box AP at IoU 0.5's floor on {@link PhotoBoxSet} (measured 0.800). */
    static final double BOX_AP_BAR = 0.7;
    /** Box AP at IoU 0.5's floor on the held-out part of {@link PhotoBoxSet} (measured 0.815). */
    static final double BOX_AP_HELD_OUT_BAR = 0.7;
    /**
     * Lowest score kept for the rankings of label mAP and box AP: NanoDet's test configuration's
     * {@code score_thr}, as COCO's evaluation keeps low-scored detections to trace the whole curve.
     */
    static final double RANKING_FLOOR = 0.05;
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
        PhotoLabelSet.Score labels = PhotoLabelSet.Score.NONE;
        List<PhotoLabelSet.Photo> labelled = PhotoLabelSet.read();
        Map<String, List<PhotoBoxSet.Box>> boxed = PhotoBoxSet.read();
        if (!labelled.stream().map(PhotoLabelSet.Photo::path).toList().containsAll(boxed.keySet())) {
            throw new IOException(PhotoBoxSet.RESOURCE + " boxes photos " + PhotoLabelSet.RESOURCE + " does not label");
        }
        PhotoLabelSet.Ranking ranking = new PhotoLabelSet.Ranking();
        PhotoBoxSet.Tally boxes = new PhotoBoxSet.Tally();
        PhotoBoxSet.Tally heldOut = new PhotoBoxSet.Tally();
        NanodetDecoder.Options ranked = new NanodetDecoder.Options(RANKING_FLOOR, options.maxResults(), Set.of());
        try (Predictor<ImageTensor, NanodetOutput> predictor = model.newPredictor(new NanodetTranslator())) {
            for (Map.Entry<String, String> p : PHOTOS.entrySet()) {
                List<FoundObject> found = detect(predictor, card, read(p.getKey()), options);
                right += !found.isEmpty() && found.get(0).name().equals(p.getValue()) ? 1 : 0;
            }
            for (PhotoLabelSet.Photo p : labelled) {
                // One run, decoded down to the ranking floor; the labels are its objects at minScore (greedy
                // per-class NMS keeps the same boxes above minScore whatever the floor).
                List<FoundObject> all = detect(predictor, card, readDataset(p.path()), ranked);
                List<String> names = all.stream().filter(o -> o.score() >= minScore).map(FoundObject::name).distinct().toList();
                labels = labels.plus(p, names);
                Map<String, Double> best = new TreeMap<>();
                all.forEach(o -> best.merge(o.name(), o.score(), Math::max));
                ranking.add(p, best);
                List<PhotoBoxSet.Box> truth = boxed.get(p.path());
                if (truth != null) {
                    boxes.add(truth, all, p.acceptable());
                    if (!PhotoBoxSet.DEV.contains(p.path())) {
                        heldOut.add(truth, all, p.acceptable());
                    }
                }
                LOG.infof("labels of %s: %s (present %s, acceptable %s)", p.path(), names, p.present(), p.acceptable());
            }
            LOG.infof("label AP per class: %s; box AP50 per class: %s; held out: %s", ranking.perClass(), boxes.perClass(),
                    heldOut.perClass());
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
        String set = "the " + labelled.size() + " hand-labelled photos of " + PhotoLabelSet.RESOURCE + " (" + labels.truth()
                + " labels present; " + labels.emptyPhotos() + " photos without a COCO object); labels: the distinct classes"
                + " found at minScore " + minScore + "; a label marked acceptable counts neither way";
        out.add(new ModelCard.Metric("label-precision", labels.precision(), set + "; right over found; bar " + PRECISION_BAR,
                PRECISION_BAR));
        out.add(new ModelCard.Metric("label-recall", labels.recall(), set + "; right over present; bar " + RECALL_BAR,
                RECALL_BAR));
        out.add(new ModelCard.Metric("label-f1", labels.f1(), set, null));
        out.add(new ModelCard.Metric("label-false-positives-per-empty-photo", labels.wrongPerEmptyPhoto(), set
                + "; wrong labels per photo without a COCO object; bar (a ceiling) " + EMPTY_BAR, EMPTY_BAR));
        out.add(new ModelCard.Metric("label-map", ranking.meanAp(), "the same 50 photos; for each of the "
                + ranking.perClass().size() + " classes shown by one at least, average precision of the photos ranked by the"
                + " class's best score down to " + RANKING_FLOOR + " (photos where it is acceptable left out); the mean ("
                + perClass(ranking.perClass()) + "); bar " + LABEL_MAP_BAR, LABEL_MAP_BAR));
        String how = "detections down to " + RANKING_FLOOR + ", at most " + options.maxResults() + " a photo; VOC matching at IoU "
                + PhotoBoxSet.IOU + ", acceptable classes counting neither way; all-point average precision per class with a"
                + " box, the mean";
        out.add(new ModelCard.Metric("box-ap50", boxes.meanAp(), boxed.size() + " of the photos boxed by hand ("
                + PhotoBoxSet.RESOURCE + ", " + boxes.truths() + " boxes of " + boxes.perClass().size() + " classes); " + how
                + " (" + perClass(boxes.perClass()) + "); bar " + BOX_AP_BAR, BOX_AP_BAR));
        out.add(new ModelCard.Metric("box-ap50-held-out", heldOut.meanAp(), "the " + (boxed.size() - PhotoBoxSet.DEV.size())
                + " boxed photos nothing was chosen on (all but " + String.join(", ", new TreeSet<>(PhotoBoxSet.DEV)) + "; "
                + heldOut.truths() + " boxes of " + heldOut.perClass().size() + " classes); " + how + " ("
                + perClass(heldOut.perClass()) + "); bar " + BOX_AP_HELD_OUT_BAR, BOX_AP_HELD_OUT_BAR));
        return out;
    }

    /** {@code name value, ...}, two decimals. */
    private static String perClass(Map<String, Double> ap) {
        List<String> parts = new ArrayList<>();
        ap.forEach((name, v) -> parts.add(name + " " + String.format(java.util.Locale.ROOT, "%.2f", v)));
        return String.join(", ", parts);
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

    private static BufferedImage readDataset(String path) throws IOException {
        try (InputStream in = ObjectEvaluation.class.getResourceAsStream("/datasets/" + path)) {
            if (in == null) {
                throw new IOException("the application does not carry /datasets/" + path);
            }
            return ImageIO.read(in);
        }
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
