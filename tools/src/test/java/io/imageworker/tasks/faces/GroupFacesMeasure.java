package io.imageworker.tasks.faces;

import io.imageworker.training.metrics.DetectionEvaluation;
import io.imageworker.training.metrics.Region;
import io.imageworker.training.peers.HaarCascade;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Test helper: one detector over the group set ({@link GroupFaceSet}), measured the way issue 29 asks:
 * recall by face size band at the detector's operating cut, average precision at IoU 0.5 and 0.7
 * (VOC rules, {@link DetectionEvaluation}), false faces per photo at the cut (detections matching no
 * labelled face at IoU 0.5), and the time per photo (wall clock of the whole detection, views
 * rendered, model calls, merge; one calling thread).
 */
final class GroupFacesMeasure {

    /** The set: the Solvay photo when present, near-square crowds, and the group photos at two scales. */
    static List<FaceEvalSet.Photo> set() throws Exception {
        List<FaceEvalSet.Photo> groups = GroupFaceSet.groups();
        List<FaceEvalSet.Photo> out = new ArrayList<>();
        FaceEvalSet.Photo solvay = GroupFaceSet.solvay();
        if (solvay != null) {
            out.add(solvay);
        }
        out.add(GroupFaceSet.crowd("crowd-1740x1620-faces-60", groups, 1740, 1620, 60, 8));
        out.add(GroupFaceSet.crowd("crowd-1740x1620-faces-40", groups, 1740, 1620, 40, 8));
        out.add(GroupFaceSet.crowd("crowd-1600x1500-faces-28", groups, 1600, 1500, 28, 6));
        out.add(GroupFaceSet.crowd("crowd-1200x1100-faces-20", groups, 1200, 1100, 20, 4));
        for (FaceEvalSet.Photo g : groups) {
            out.add(GroupFaceSet.shrunk(g, 0.4, g.file() + "@0.4"));
        }
        out.addAll(groups);
        return out;
    }

    /** One detector's figures on the set. */
    record Figures(String detector, int[] found, int[] labelled, double ap50, double ap70, double falsePerPhoto, double msPerPhoto,
            int photos) {

        double recall(int band) {
            return labelled[band] == 0 ? Double.NaN : found[band] / (double) labelled[band];
        }

        /** A markdown table row: detector, recall per band (found/labelled), AP 0.5, AP 0.7, false faces per photo, ms per photo. */
        String row() {
            StringBuilder s = new StringBuilder("| ").append(detector).append(" |");
            for (int b = 0; b < found.length; b++) {
                s.append(String.format(Locale.ROOT, " %.2f (%d/%d) |", recall(b), found[b], labelled[b]));
            }
            return s.append(String.format(Locale.ROOT, " %.3f | %.3f | %.2f | %.0f |", ap50, ap70, falsePerPhoto, msPerPhoto)).toString();
        }

        static String header() {
            StringBuilder s = new StringBuilder("| detector |");
            StringBuilder rule = new StringBuilder("| --- |");
            for (int b = 0; b < GroupFaceSet.BANDS.length - 1; b++) {
                s.append(" recall ").append(GroupFaceSet.bandName(b)).append(" px |");
                rule.append(" --- |");
            }
            return s.append(" AP@0.5 | AP@0.7 | false faces per photo | ms per photo |\n")
                    .append(rule).append(" --- | --- | --- | --- |\n").toString();
        }
    }

    /** A detector: every detection on a photo, at any score down to the AP floor. */
    interface Detector {
        List<FaceDetection> detect(FaceEvalSet.Photo photo) throws Exception;

        /** Time per photo when the detector measured it itself (a peer run in its own process); NaN: time {@link #detect}. */
        default double msPerPhoto() {
            return Double.NaN;
        }
    }

    /**
     * Scores {@code detector} on {@code photos}; recall and false faces counted on detections at or
     * above {@code cut}, average precision on all.
     */
    static Figures measure(String name, List<FaceEvalSet.Photo> photos, Detector detector, double cut) throws Exception {
        int bands = GroupFaceSet.BANDS.length - 1;
        int[] found = new int[bands];
        int[] labelled = new int[bands];
        DetectionEvaluation ap50 = DetectionEvaluation.voc();
        DetectionEvaluation ap70 = new DetectionEvaluation(0.7, DetectionEvaluation.Overlap.REGION);
        int falses = 0;
        long nanos = 0;
        for (FaceEvalSet.Photo p : photos) {
            long t0 = System.nanoTime();
            List<FaceDetection> all = detector.detect(p);
            nanos += System.nanoTime() - t0;
            List<FaceDetection> kept = all.stream().filter(d -> d.score() >= cut).toList();
            GroupFaceSet.Matched m = GroupFaceSet.match(kept, p.faces(), 0.5);
            for (int t = 0; t < p.faces().size(); t++) {
                int b = GroupFaceSet.band(p.faces().get(t).height());
                if (b >= 0) {
                    labelled[b]++;
                    found[b] += m.found()[t] ? 1 : 0;
                }
            }
            falses += m.falseDetections();
            List<DetectionEvaluation.Truth> truths = p.faces().stream()
                    .map(f -> new DetectionEvaluation.Truth(Region.box(f.x(), f.y(), f.width(), f.height()), f.difficult())).toList();
            List<DetectionEvaluation.Detection> dets = all.stream()
                    .map(f -> new DetectionEvaluation.Detection(Region.box(f.x(), f.y(), f.width(), f.height()), f.score())).toList();
            ap50.add(truths, dets);
            ap70.add(truths, dets);
        }
        double ms = Double.isNaN(detector.msPerPhoto()) ? nanos / 1e6 / photos.size() : detector.msPerPhoto();
        return new Figures(name, found, labelled, ap50.averagePrecision(), ap70.averagePrecision(), falses / (double) photos.size(),
                ms, photos.size());
    }

    /** OpenCV's Haar cascade on the photos (written as PNGs to a temporary folder), in one process; null when not installed. */
    static Detector haar(List<FaceEvalSet.Photo> photos) throws Exception {
        HaarCascade haar = HaarCascade.defaults(Path.of(""));
        if (!haar.available()) {
            return null;
        }
        Path dir = Files.createTempDirectory("group-faces-haar");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            Path f = dir.resolve(i + ".png");
            ImageIO.write(photos.get(i).image(), "png", f.toFile());
            files.add(f);
        }
        long t0 = System.nanoTime();
        Map<Path, List<HaarCascade.Face>> all = haar.detect(files);
        double msEach = (System.nanoTime() - t0) / 1e6 / photos.size();
        for (Path f : files) {
            Files.deleteIfExists(f);
        }
        Files.deleteIfExists(dir);
        return new Detector() {
            @Override
            public List<FaceDetection> detect(FaceEvalSet.Photo photo) {
                List<HaarCascade.Face> faces = all.get(files.get(photos.indexOf(photo)));
                // Haar's scores are level weights, not probabilities: squash them into (0, 1) for ranking only
                return faces.stream().map(f -> new FaceDetection(f.box().minX(), f.box().minY(), f.box().maxX() - f.box().minX(),
                        f.box().maxY() - f.box().minY(), FaceDetection.NO_KEYPOINTS, 1 / (1 + Math.exp(-f.score())))).toList();
            }

            @Override
            public double msPerPhoto() { // one process for all photos, its start-up included
                return msEach;
            }
        };
    }
}
