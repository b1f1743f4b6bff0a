package io.imageworker.tasks.faces;

import io.imageworker.testing.SystemDeps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Test helper: group photos and crowds with faces labelled forehead to chin, and recall by face size.
 *
 * <p>Two sources. (1) The six group photos of the faces evaluation set ({@code datasets/faces}, MIT,
 * shipped, hand-labelled), shrunk into near-square crowds: {@link #crowd} lays copies of them (every
 * other one mirrored) in a grid at a scale that makes their faces a chosen height, with the labels
 * moved along, and {@link #shrunk} gives each photo alone at a scale. Nothing to fetch: these run
 * everywhere. (2) The 1927 Solvay conference photo (1280x926, 29 faces 40-61 px), labelled in
 * {@code datasets/group-faces/labels.json}; its file is not shipped (the Debian package that carries it
 * is GPL-2), so {@link #solvay} finds it where {@code apt-get download visp-images-data} then
 * {@code dpkg -x} left it ({@link #SOLVAY_PATHS}), or returns null.
 */
final class GroupFaceSet {

    /** The Solvay photo in Debian's {@code visp-images-data}, relative to {@code /usr/share}. */
    static final String SOLVAY_FILE = "visp-images-data/ViSP-images/faces/1280px-Solvay_conference_1927.png";
    /** Where the Solvay photo is looked for: the installed package, then unpacked under {@code target/group-faces/}. */
    static final List<Path> SOLVAY_PATHS = java.util.stream.Stream.concat(
            SystemDeps.findPackageFile(SOLVAY_FILE, "group-faces").stream(),
            java.util.stream.Stream.of(io.imageworker.testing.Repo.path("target/group-faces/solvay-1927-1280.png"))).toList();

    /** Face size bands, labelled box height in pixels: [16, 24), [24, 32), [32, 48), [48, 96), [96, inf). */
    static final double[] BANDS = {16, 24, 32, 48, 96, Double.POSITIVE_INFINITY};

    private GroupFaceSet() {}

    /** The band of a face {@code height} px high (index into {@link #BANDS}' lower edges), or -1 below 16 px. */
    static int band(double height) {
        for (int b = 0; b < BANDS.length - 1; b++) {
            if (height >= BANDS[b] && height < BANDS[b + 1]) {
                return b;
            }
        }
        return -1;
    }

    /** A band's name, e.g. {@code 16-24} or {@code >96}. */
    static String bandName(int b) {
        return Double.isInfinite(BANDS[b + 1]) ? ">" + (int) BANDS[b] : (int) BANDS[b] + "-" + (int) BANDS[b + 1];
    }

    /** The six independent group photos of the faces evaluation set, decoded, with their labels. */
    static List<FaceEvalSet.Photo> groups() throws IOException {
        return FaceEvalSet.load().stream().filter(p -> p.file().startsWith("faceapi-") && p.derivedFrom() == null).toList();
    }

    /** The Solvay photo with its 29 labelled faces, or null when its file is not on this machine. */
    static FaceEvalSet.Photo solvay() throws IOException {
        Path file = SOLVAY_PATHS.stream().filter(Files::isRegularFile).findFirst().orElse(null);
        if (file == null) {
            return null;
        }
        JsonNode labels;
        try (InputStream in = GroupFaceSet.class.getResourceAsStream("/datasets/group-faces/labels.json")) {
            labels = new ObjectMapper().readTree(in);
        }
        JsonNode photo = labels.path("photos").get(0);
        List<FaceEvalSet.Truth> faces = new ArrayList<>();
        for (JsonNode f : photo.path("faces")) {
            JsonNode b = f.path("box");
            faces.add(new FaceEvalSet.Truth(b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble(), false));
        }
        return new FaceEvalSet.Photo(photo.path("file").asText(), ImageIO.read(file.toFile()), faces, null);
    }

    /** {@code p} alone at {@code scale} (the task's own downscaling), its labels scaled along. */
    static FaceEvalSet.Photo shrunk(FaceEvalSet.Photo p, double scale, String name) {
        int w = (int) Math.round(p.image().getWidth() * scale);
        int h = (int) Math.round(p.image().getHeight() * scale);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        List<FaceEvalSet.Truth> faces = new ArrayList<>();
        draw(out, p, 0, 0, w, h, false, faces);
        return new FaceEvalSet.Photo(name, out, faces, p.file());
    }

    /**
     * A {@code width x height} crowd: the {@code photos} in turn (every other copy mirrored), each
     * scaled so that its median labelled face is {@code faceHeight} px high, packed row by row with
     * {@code gap} px between them, as many as fit.
     */
    static FaceEvalSet.Photo crowd(String name, List<FaceEvalSet.Photo> photos, int width, int height, double faceHeight, int gap) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        List<FaceEvalSet.Truth> faces = new ArrayList<>();
        int x = 0;
        int y = 0;
        int rowHeight = 0;
        for (int i = 0;; i++) {
            FaceEvalSet.Photo p = photos.get(i % photos.size());
            double s = faceHeight / median(p.faces().stream().map(FaceEvalSet.Truth::height).sorted().toList());
            int w = (int) Math.round(p.image().getWidth() * s);
            int h = (int) Math.round(p.image().getHeight() * s);
            if (x + w > width) {
                x = 0;
                y += rowHeight + gap;
                rowHeight = 0;
            }
            if (y + h > height || w > width) {
                break;
            }
            draw(out, p, x, y, w, h, i % 2 == 1, faces);
            x += w + gap;
            rowHeight = Math.max(rowHeight, h);
        }
        return new FaceEvalSet.Photo(name, out, faces, "crowd");
    }

    private static double median(List<Double> sorted) {
        return sorted.get(sorted.size() / 2);
    }

    /** Draws {@code p} into {@code out} at (x, y) scaled to w x h, mirrored if asked, and adds its labels there. */
    private static void draw(BufferedImage out, FaceEvalSet.Photo p, int x, int y, int w, int h, boolean mirror,
            List<FaceEvalSet.Truth> faces) {
        Letterbox lb = new Letterbox(0, 0, p.image().getWidth(), p.image().getHeight(), Math.max(w, h));
        BufferedImage small = lb.render(io.imageworker.imaging.Preprocessor.flatten(p.image()))
                .getSubimage(lb.padX(), lb.padY(), lb.drawnWidth(), lb.drawnHeight());
        Graphics2D g = out.createGraphics();
        try {
            if (mirror) {
                g.drawImage(small, new AffineTransform(-1, 0, 0, 1, x + small.getWidth(), y), null);
            } else {
                g.drawImage(small, x, y, null);
            }
        } finally {
            g.dispose();
        }
        double sx = small.getWidth() / (double) p.image().getWidth();
        double sy = small.getHeight() / (double) p.image().getHeight();
        for (FaceEvalSet.Truth t : p.faces()) {
            double fx = mirror ? small.getWidth() - (t.x() + t.width()) * sx : t.x() * sx;
            faces.add(new FaceEvalSet.Truth(x + fx, y + t.y() * sy, t.width() * sx, t.height() * sy, t.difficult()));
        }
    }

    /**
     * Which labelled faces {@code detections} find at IoU {@code iou} (VOC greedy matching by score),
     * and how many detections find none.
     *
     * @return {@code found[t]} per labelled face, and the false detections
     */
    static Matched match(List<FaceDetection> detections, List<FaceEvalSet.Truth> truth, double iou) {
        List<FaceDetection> sorted = new ArrayList<>(detections);
        sorted.sort(Comparator.comparingDouble(FaceDetection::score).reversed());
        boolean[] found = new boolean[truth.size()];
        int falses = 0;
        for (FaceDetection d : sorted) {
            int best = -1;
            double bestIou = 0;
            for (int t = 0; t < truth.size(); t++) {
                double o = truth.get(t).asDetection().iou(d);
                if (o > bestIou) {
                    bestIou = o;
                    best = t;
                }
            }
            if (best >= 0 && bestIou >= iou && !found[best]) {
                found[best] = true;
            } else {
                falses++;
            }
        }
        return new Matched(found, falses);
    }

    /** {@link #match}'s answer. */
    record Matched(boolean[] found, int falseDetections) {}
}
