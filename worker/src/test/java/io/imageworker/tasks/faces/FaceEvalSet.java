package io.imageworker.tasks.faces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Test helper: the faces evaluation set ({@code datasets/faces}: photos, hand-labelled boxes,
 * negatives) decoded, a collage of its group photos, and VOC matching of one photo's detections
 * (the study's metrics come from {@code training.metrics.DetectionEvaluation}).
 */
final class FaceEvalSet {

    /** A labelled face: box in photo pixels; difficult faces count neither as hits nor as misses. */
    record Truth(double x, double y, double width, double height, boolean difficult) {

        FaceDetection asDetection() {
            return new FaceDetection(x, y, width, height, new double[12], 1);
        }
    }

    /** One photo with its faces (none for a negative). */
    record Photo(String file, BufferedImage image, List<Truth> faces, String derivedFrom) {}

    /** IoU a detection needs with a labelled face to count as finding it. */
    static final double MATCH_IOU = 0.5;

    private FaceEvalSet() {}

    /** Every photo of {@code datasets/faces/labels.json}, decoded, in the file's order. */
    static List<Photo> load() throws IOException {
        JsonNode labels;
        try (InputStream in = FaceEvalSet.class.getResourceAsStream("/datasets/faces/labels.json")) {
            labels = new ObjectMapper().readTree(in);
        }
        List<Photo> out = new ArrayList<>();
        for (JsonNode img : labels.path("images")) {
            String file = img.path("file").asText();
            BufferedImage image;
            try (InputStream in = FaceEvalSet.class.getResourceAsStream("/datasets/faces/images/" + file)) {
                image = ImageIO.read(in);
            }
            List<Truth> faces = new ArrayList<>();
            for (JsonNode f : img.path("faces")) {
                JsonNode b = f.path("box");
                faces.add(new Truth(b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble(),
                        f.path("difficult").asBoolean(false)));
            }
            out.add(new Photo(file, image, faces, img.path("derivedFrom").isTextual() ? img.path("derivedFrom").asText() : null));
        }
        return out;
    }

    /**
     * A collage of {@code photos} in a {@code cols}-column grid, each scaled to {@code cellWidth}
     * wide (aspect kept) in a cell of {@code cellWidth x cellHeight}, black around, with the labels
     * moved along: a stand-in for a large group photo whose faces are small next to the whole.
     */
    static Photo collage(String name, List<Photo> photos, int cols, int cellWidth, int cellHeight) {
        int rows = (photos.size() + cols - 1) / cols;
        BufferedImage out = new BufferedImage(cols * cellWidth, rows * cellHeight, BufferedImage.TYPE_INT_RGB);
        List<Truth> faces = new ArrayList<>();
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            for (int i = 0; i < photos.size(); i++) {
                Photo p = photos.get(i);
                double s = Math.min(cellWidth / (double) p.image().getWidth(), cellHeight / (double) p.image().getHeight());
                int ox = (i % cols) * cellWidth;
                int oy = (i / cols) * cellHeight;
                // the task's own downscaling: a letterbox whose picture is the photo at scale s
                Letterbox lb = new Letterbox(0, 0, p.image().getWidth(), p.image().getHeight(),
                        (int) Math.round(Math.max(p.image().getWidth(), p.image().getHeight()) * s));
                BufferedImage small = lb.render(io.imageworker.imaging.Preprocessor.flatten(p.image()));
                int w = lb.drawnWidth();
                int h = lb.drawnHeight();
                g.drawImage(small.getSubimage(lb.padX(), lb.padY(), w, h), ox, oy, null);
                double sx = w / (double) p.image().getWidth();
                double sy = h / (double) p.image().getHeight();
                for (Truth t : p.faces()) {
                    faces.add(new Truth(ox + t.x() * sx, oy + t.y() * sy, t.width() * sx, t.height() * sy, t.difficult()));
                }
            }
        } finally {
            g.dispose();
        }
        return new Photo(name, out, faces, "collage");
    }

    /** One detection, scored against the photo's labels: true positive, false positive, or on a difficult face (ignored). */
    record Scored(double score, int kind) {
        static final int TP = 1;
        static final int FP = 0;
        static final int IGNORED = -1;
    }

    /**
     * VOC matching: detections by score, highest first, each to the unmatched labelled face it
     * overlaps most, a hit when that IoU is at least {@link #MATCH_IOU}.
     */
    static List<Scored> match(List<FaceDetection> detections, List<Truth> truth) {
        List<FaceDetection> sorted = new ArrayList<>(detections);
        sorted.sort(Comparator.comparingDouble(FaceDetection::score).reversed());
        boolean[] used = new boolean[truth.size()];
        List<Scored> out = new ArrayList<>();
        for (FaceDetection d : sorted) {
            int best = -1;
            double bestIou = 0;
            for (int t = 0; t < truth.size(); t++) {
                double iou = truth.get(t).asDetection().iou(d);
                if (iou > bestIou) {
                    bestIou = iou;
                    best = t;
                }
            }
            if (best >= 0 && bestIou >= MATCH_IOU) {
                if (truth.get(best).difficult()) {
                    out.add(new Scored(d.score(), Scored.IGNORED));
                } else if (!used[best]) {
                    used[best] = true;
                    out.add(new Scored(d.score(), Scored.TP));
                } else {
                    out.add(new Scored(d.score(), Scored.FP)); // a second box on a face already found
                }
            } else {
                out.add(new Scored(d.score(), Scored.FP));
            }
        }
        return out;
    }
}
