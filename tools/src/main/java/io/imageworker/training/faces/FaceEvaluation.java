package io.imageworker.training.faces;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelCard;
import io.imageworker.tasks.faces.FaceDetectorOutput;
import io.imageworker.tasks.faces.FaceAttributes;
import io.imageworker.tasks.faces.FaceDetection;
import io.imageworker.tasks.faces.FaceFinder;
import io.imageworker.tasks.faces.FacesTask;
import io.imageworker.training.ModelEvaluation;
import io.imageworker.training.metrics.DetectionEvaluation;
import io.imageworker.training.metrics.FaceSet;
import io.imageworker.training.metrics.Region;
import io.imageworker.training.peers.HaarCascade;
import org.jboss.logging.Logger;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A face detector on the faces evaluation set the application carries ({@code datasets/faces}: 25
 * real photos, 11 with 34 hand-labelled faces, 14 without), through the task's own pipeline
 * (views and tiles of the card, the model, decoding, weighted NMS). Scored by VOC's rules
 * ({@link DetectionEvaluation#voc()}: IoU >= 0.5, all-point average precision), the rules the Haar
 * peer is scored by in {@code deploy/peers/README.md}. When OpenCV's Haar cascade is installed it runs
 * on the same photos in the same run and its figures come back beside ours ({@code haar-*}).
 */
public final class FaceEvaluation implements ModelEvaluation {

    private static final Logger LOG = Logger.getLogger(FaceEvaluation.class);

    /** The shared instance (ServiceLoader makes its own). */
    public static final FaceEvaluation INSTANCE = new FaceEvaluation();

    /** The task whose models this evaluation measures. */
    public static final String TASK = "faces";

    /** Detections down to this score are ranked for average precision (the cut is the card's minScore). */
    static final double AP_FLOOR = 0.05;

    /** For {@link java.util.ServiceLoader}, which finds the evaluations; use {@link #INSTANCE}. */
    public FaceEvaluation() {}

    /** {@value #TASK}. */
    @Override
    public String task() {
        return TASK;
    }

    /**
     * {@code average-precision} over the set; {@code precision}, {@code recall} and
     * {@code false-positives-per-negative} at the card's {@code minScore} (0.75 when absent). A
     * face-api landmark or expression model (the detector's companions) is measured instead by its
     * parity with the original ({@link FaceAttributeParity#evaluate}).
     *
     * @param limit at most this many photos, in the set's order (0: all)
     */
    @Override
    public List<ModelCard.Metric> evaluate(LoadedModel model, int limit) throws IOException {
        ModelCard card = model.card();
        if (FaceAttributes.isCompanion(card)) {
            return FaceAttributeParity.evaluate(model); // a face-api model the detector names: parity with its original
        }
        FaceSet set = FaceSet.bundled();
        Preprocessor.Spec spec = card.input().spec();
        double cut = card.taskOption(FacesTask.MIN_SCORE, 0.75);
        DetectionEvaluation eval = DetectionEvaluation.voc();
        List<FaceSet.Photo> photos = limit > 0 ? set.images().subList(0, Math.min(limit, set.images().size())) : set.images();
        try (Predictor<ImageTensor, FaceDetectorOutput> predictor = model.newPredictor(FacesTask.detector(card))) {
            for (FaceSet.Photo p : photos) {
                List<FaceDetection> faces = FaceFinder.find(Preprocessor.flatten(read(p.file())), card, spec, FacesTask.tiling(card),
                        FacesTask.maxUpscale(card), t -> call(predictor, t), AP_FLOOR, 1000, Runnable::run).join();
                List<DetectionEvaluation.Truth> truths = p.faces().stream().map(FaceSet.Face::truth).toList();
                List<DetectionEvaluation.Detection> found = new ArrayList<>();
                for (FaceDetection f : faces) {
                    found.add(new DetectionEvaluation.Detection(Region.box(f.x(), f.y(), f.width(), f.height()), f.score()));
                }
                eval.add(truths, found);
            }
        } catch (java.util.concurrent.CompletionException e) {
            throw new IOException("model " + card.id() + " failed on the faces evaluation set: " + e.getCause().getMessage(), e);
        }
        String data = "faces evaluation set datasets/faces (" + photos.size() + " photos: "
                + photos.stream().filter(p -> !p.negative()).count() + " with " + eval.positives() + " hand-labelled faces, "
                + photos.stream().filter(FaceSet.Photo::negative).count() + " without), IoU >= 0.5";
        DetectionEvaluation.Counts at = eval.at(cut);
        List<ModelCard.Metric> out = new ArrayList<>();
        out.add(new ModelCard.Metric("average-precision", round(eval.averagePrecision()), data, null));
        out.add(new ModelCard.Metric("precision", round(at.precision()), data + ", score >= " + cut, null));
        out.add(new ModelCard.Metric("recall", round(at.recall()), data + ", score >= " + cut, null));
        out.add(new ModelCard.Metric("false-positives-per-negative", round(at.falsePositivesPerNegativeImage()),
                "the photos without a face, score >= " + cut, null));
        if (io.imageworker.tasks.faces.SsdDecoder.decodes(card)) {
            out.addAll(SsdParity.metrics(model)); // an imported detector: also its parity with the original
        }
        HaarCascade haar = HaarCascade.defaults(java.nio.file.Path.of(""));
        if (haar.available()) {
            out.addAll(haar(haar, photos, data));
        } else {
            LOG.infof("OpenCV's Haar cascade is not available (apt-get install python3-opencv opencv-data, run from the"
                    + " repository root): the faces evaluation runs without its peer");
        }
        return out;
    }

    /** The Haar cascade on the same photos, scored by the same rules: {@code haar-*} metrics. */
    private static List<ModelCard.Metric> haar(HaarCascade haar, List<FaceSet.Photo> photos, String data) throws IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("faceset-peer");
        try {
            List<java.nio.file.Path> files = new ArrayList<>();
            for (FaceSet.Photo p : photos) {
                java.nio.file.Path f = dir.resolve(p.file());
                try (InputStream in = FaceEvaluation.class.getResourceAsStream(FaceSet.BUNDLED + "images/" + p.file())) {
                    java.nio.file.Files.copy(in, f);
                }
                files.add(f);
            }
            java.util.Map<java.nio.file.Path, List<HaarCascade.Face>> found = haar.detect(files);
            DetectionEvaluation eval = DetectionEvaluation.voc();
            for (int i = 0; i < photos.size(); i++) {
                List<DetectionEvaluation.Detection> dets = found.get(files.get(i)).stream()
                        .map(f -> new DetectionEvaluation.Detection(f.box(), f.score())).toList();
                eval.add(photos.get(i).faces().stream().map(FaceSet.Face::truth).toList(), dets);
            }
            DetectionEvaluation.Counts all = eval.at(Double.NEGATIVE_INFINITY);
            String peer = data + "; peer: OpenCV " + haar.version() + " Haar cascade (frontalface_default, scaleFactor "
                    + HaarCascade.DEFAULT_SCALE_FACTOR + ", minNeighbors " + HaarCascade.DEFAULT_MIN_NEIGHBORS
                    + ") on the same photos in the same run, every box it returns";
            return List.of(new ModelCard.Metric("haar-average-precision", round(eval.averagePrecision()), peer, null),
                    new ModelCard.Metric("haar-precision", round(all.precision()), peer, null),
                    new ModelCard.Metric("haar-recall", round(all.recall()), peer, null),
                    new ModelCard.Metric("haar-false-positives-per-negative", round(all.falsePositivesPerNegativeImage()), peer, null));
        } finally {
            try (var files = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path f : files.toList()) {
                    java.nio.file.Files.deleteIfExists(f);
                }
            }
            java.nio.file.Files.deleteIfExists(dir);
        }
    }

    private static java.util.concurrent.CompletableFuture<FaceDetectorOutput> call(Predictor<ImageTensor, FaceDetectorOutput> p,
            ImageTensor t) {
        try {
            return java.util.concurrent.CompletableFuture.completedFuture(p.predict(t));
        } catch (TranslateException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    private static BufferedImage read(String file) throws IOException {
        try (InputStream in = FaceEvaluation.class.getResourceAsStream(FaceSet.BUNDLED + "images/" + file)) {
            if (in == null) {
                throw new IOException("the application does not carry " + FaceSet.BUNDLED + "images/" + file);
            }
            return ImageIO.read(in);
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
