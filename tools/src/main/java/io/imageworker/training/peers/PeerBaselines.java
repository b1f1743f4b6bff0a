package io.imageworker.training.peers;

import io.imageworker.training.metrics.DetectionEvaluation;
import io.imageworker.training.metrics.DetectionEvaluation.Detection;
import io.imageworker.training.metrics.DetectionEvaluation.Overlap;
import io.imageworker.training.metrics.DetectionEvaluation.Truth;
import io.imageworker.training.metrics.FaceSet;
import io.imageworker.training.metrics.TextAccuracy;
import io.imageworker.training.metrics.TextSet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Measures the peers on the committed evaluation sets and prints the numbers as Markdown: Tesseract
 * on the text set (CER and word accuracy overall, on the clean images, on the degraded ones and on
 * the third-party ones; line detection precision and recall at IoU &gt;= 0.5 of the bounding boxes
 * and of the polygons) and the Haar cascade on the faces set (AP at IoU &gt;= 0.5, precision and
 * recall of everything it returns, false positives per negative photo; with and without the
 * derived quarter-size copies).
 *
 * <p>Run from the repository root (README of {@code deploy/peers}):
 * {@code java -cp target/classes:$(cat /tmp/cp.txt) io.imageworker.training.peers.PeerBaselines [ROOT]}.
 */
public final class PeerBaselines {

    private PeerBaselines() {}

    /** Scores of Tesseract on a subset of the text set. */
    record TextScores(String subset, int images, TextAccuracy accuracy, DetectionEvaluation.Counts byBounds,
            DetectionEvaluation.Counts byPolygon) {}

    /** Scores of the Haar cascade on a subset of the faces set. */
    record FaceScores(String subset, int photos, int faces, int negatives, double ap, DetectionEvaluation.Counts counts) {}

    /** Runs Tesseract over the text set (images under {@code folder/images}) and scores each subset. */
    static List<TextScores> text(Tesseract tesseract, TextSet set, Path folder) throws IOException {
        Map<String, Predicate<TextSet.Image>> subsets = new java.util.LinkedHashMap<>();
        subsets.put("all", im -> true);
        subsets.put("clean", TextSet.Image::clean);
        subsets.put("generated, degraded", im -> "generated".equals(im.source()) && !im.clean());
        subsets.put("third-party", im -> "third-party".equals(im.source()));
        Map<String, Tesseract.Page> read = new java.util.HashMap<>();
        for (TextSet.Image im : set.images()) {
            read.put(im.file(), tesseract.read(folder.resolve("images").resolve(im.file())));
        }
        List<TextScores> out = new java.util.ArrayList<>();
        for (Map.Entry<String, Predicate<TextSet.Image>> s : subsets.entrySet()) {
            TextAccuracy acc = new TextAccuracy();
            DetectionEvaluation bounds = new DetectionEvaluation(0.5, Overlap.BOUNDS);
            DetectionEvaluation polygons = new DetectionEvaluation(0.5, Overlap.REGION);
            int n = 0;
            for (TextSet.Image im : set.images()) {
                if (!s.getValue().test(im)) {
                    continue;
                }
                Tesseract.Page page = read.get(im.file());
                acc.add(im.text(), page.text());
                List<Truth> truths = im.lines().stream().map(l -> new Truth(l.region(), l.difficult())).toList();
                List<Detection> dets = page.lines().stream().map(l -> new Detection(l.box(), l.confidence())).toList();
                bounds.add(truths, dets);
                polygons.add(truths, dets);
                n++;
            }
            out.add(new TextScores(s.getKey(), n, acc, bounds.at(Double.NEGATIVE_INFINITY),
                    polygons.at(Double.NEGATIVE_INFINITY)));
        }
        return out;
    }

    /** Runs the Haar cascade over the faces set (photos under {@code folder/images}) and scores it. */
    static List<FaceScores> faces(HaarCascade haar, FaceSet set, Path folder) throws IOException {
        List<Path> files = set.images().stream().map(p -> folder.resolve("images").resolve(p.file())).toList();
        Map<Path, List<HaarCascade.Face>> found = haar.detect(files);
        List<FaceScores> out = new java.util.ArrayList<>();
        for (boolean withDerived : new boolean[] {true, false}) {
            DetectionEvaluation e = DetectionEvaluation.voc();
            int photos = 0;
            int faces = 0;
            int negatives = 0;
            for (FaceSet.Photo p : set.images()) {
                if (!withDerived && p.derivedFrom() != null) {
                    continue;
                }
                List<Detection> dets = found.get(folder.resolve("images").resolve(p.file())).stream()
                        .map(f -> new Detection(f.box(), f.score())).toList();
                e.add(p.truths(), dets);
                photos += p.negative() ? 0 : 1;
                faces += p.faces().size();
                negatives += p.negative() ? 1 : 0;
            }
            out.add(new FaceScores(withDerived ? "all" : "without the quarter-size copies", photos, faces, negatives,
                    e.averagePrecision(), e.at(Double.NEGATIVE_INFINITY)));
        }
        return out;
    }

    /** Measures whichever peers are installed and prints Markdown tables; argument: the repository root (default "."). */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        PrintStream o = System.out;
        Tesseract tesseract = Tesseract.defaults();
        Path textFolder = root.resolve("datasets/src/main/resources/datasets/text");
        if (tesseract.available()) {
            long t0 = System.nanoTime();
            List<TextScores> rows = text(tesseract, TextSet.read(textFolder), textFolder);
            double s = (System.nanoTime() - t0) / 1e9;
            o.printf(Locale.ROOT, "### Tesseract (%s, eng, --psm 3) on the text set%n%n", tesseract.version());
            o.println("| subset | images | CER | word accuracy | line precision (box IoU >= 0.5) | line recall (box) "
                    + "| line precision (polygon IoU >= 0.5) | line recall (polygon) |");
            o.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
            for (TextScores r : rows) {
                o.printf(Locale.ROOT, "| %s | %d | %.4f (%d / %d) | %.4f (%d / %d) | %.3f | %.3f | %.3f | %.3f |%n", r.subset(),
                        r.images(), r.accuracy().characterErrorRate(), r.accuracy().edits(), r.accuracy().referenceChars(),
                        r.accuracy().wordAccuracy(), r.accuracy().matchedWords(), r.accuracy().referenceWords(),
                        r.byBounds().precision(), r.byBounds().recall(), r.byPolygon().precision(), r.byPolygon().recall());
            }
            o.printf(Locale.ROOT, "%nWall time: %.1f s for %d images (one tesseract process per image).%n%n", s,
                    rows.get(0).images());
        } else {
            o.println("Tesseract is not installed (apt-get install -y tesseract-ocr tesseract-ocr-eng): text peer not measured.\n");
        }
        HaarCascade haar = HaarCascade.defaults(root);
        Path faceFolder = root.resolve("datasets/src/main/resources/datasets/faces");
        if (haar.available()) {
            long t0 = System.nanoTime();
            List<FaceScores> rows = faces(haar, FaceSet.read(faceFolder), faceFolder);
            double s = (System.nanoTime() - t0) / 1e9;
            o.printf(Locale.ROOT, "### OpenCV %s Haar cascade (frontalface_default, scaleFactor %.1f, minNeighbors %d) on the faces set%n%n",
                    haar.version(), HaarCascade.DEFAULT_SCALE_FACTOR, HaarCascade.DEFAULT_MIN_NEIGHBORS);
            o.println("| subset | photos with faces | faces | negatives | AP (IoU >= 0.5) | precision | recall | TP | FP | misses "
                    + "| FP per negative photo |");
            o.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            for (FaceScores r : rows) {
                DetectionEvaluation.Counts c = r.counts();
                o.printf(Locale.ROOT, "| %s | %d | %d | %d | %.3f | %.3f | %.3f | %d | %d | %d | %.2f (%d / %d) |%n", r.subset(),
                        r.photos(), r.faces(), r.negatives(), r.ap(), c.precision(), c.recall(), c.truePositives(),
                        c.falsePositives(), c.misses(), c.falsePositivesPerNegativeImage(), c.falsePositivesOnNegatives(),
                        c.negativeImages());
            }
            o.printf(Locale.ROOT, "%nWall time: %.1f s (one python process for all photos).%n", s);
        } else {
            o.println("OpenCV's Haar cascade is not available (apt-get install -y python3-opencv opencv-data): faces peer not measured.");
        }
    }
}
