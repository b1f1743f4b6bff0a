package io.imageworker.tasks.objects;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * NanoDet's decoding, as its GFL head does it upstream ({@code get_bboxes}: distribution projection,
 * {@code distance2bbox}, {@code multiclass_nms}): per level (strides 8, 16, 32 on a 416 px input: 52,
 * 26 and 13 cells a side, row by row), each cell has 80 class scores (already through a sigmoid in
 * the graph) and, per side (left, top, right, bottom), a distribution over 11 distance bins; the
 * distance is the softmax's expectation of the bin index times the stride, measured from the cell's
 * centre ({@code (col + 0.5) * stride}, {@code (row + 0.5) * stride}). Every (cell, class) above
 * {@code minScore} is a candidate; non-maximum suppression runs per class (IoU above 0.6 suppresses,
 * upstream's setting); the best {@code maxResults} remain.
 */
public final class NanodetDecoder {

    /** Upstream's IoU threshold of its per-class NMS ({@code nms_cfg iou_threshold}). */
    public static final double NMS_IOU = 0.6;

    /** The strides of NanoDet's three levels. */
    public static final int[] STRIDES = {8, 16, 32};

    private NanodetDecoder() {}

    /**
     * One detection.
     *
     * @param classIndex the model's class index (COCO-80: {@link CocoLabels#NAMES})
     * @param score the class score in [0, 1]
     * @param x1 left edge, model-input pixels
     * @param y1 top edge
     * @param x2 right edge
     * @param y2 bottom edge
     */
    public record Detection(int classIndex, float score, float x1, float y1, float x2, float y2) {

        /** The box's area, square pixels (0 for an empty box). */
        public double area() {
            return Math.max(0, x2 - x1) * (double) Math.max(0, y2 - y1);
        }

        /** Intersection over union with {@code o}; 0 when either box is empty. */
        public double iou(Detection o) {
            double w = Math.min(x2, o.x2) - Math.max(x1, o.x1);
            double h = Math.min(y2, o.y2) - Math.max(y1, o.y1);
            double inter = w <= 0 || h <= 0 ? 0 : w * h;
            double union = area() + o.area() - inter;
            return union <= 0 ? 0 : inter / union;
        }
    }

    /**
     * What to keep.
     *
     * @param minScore candidates scored below are left out
     * @param maxResults most detections returned, best first
     * @param classes class indices to keep; null or empty: all
     */
    public record Options(double minScore, int maxResults, Set<Integer> classes) {

        /** @throws IllegalArgumentException for a score outside [0, 1] or maxResults below 1 */
        public Options {
            if (!(minScore >= 0 && minScore <= 1) || maxResults < 1) {
                throw new IllegalArgumentException("minScore in [0, 1] and maxResults at least 1 (were " + minScore + ", "
                        + maxResults + ")");
            }
        }
    }

    /**
     * Decodes one image's outputs.
     *
     * @param scores per level, (cells x classes) row-major: NanoDet's outputs {@code Identity},
     *     {@code Identity_1}, {@code Identity_2}
     * @param boxes per level, (cells x 4 x bins) row-major: {@code Identity_3} ... {@code Identity_5}
     * @param inputSize the square input's side, pixels (416)
     * @param options what to keep
     * @return detections in model-input pixels, clipped to the input, best first
     * @throws IllegalArgumentException when a level's sizes do not fit its stride and the input
     */
    public static List<Detection> decode(List<float[]> scores, List<float[]> boxes, int inputSize, Options options) {
        List<Detection> candidates = new ArrayList<>();
        for (int level = 0; level < STRIDES.length; level++) {
            int stride = STRIDES[level];
            int side = (inputSize + stride - 1) / stride;
            int cells = side * side;
            float[] s = scores.get(level);
            float[] b = boxes.get(level);
            if (s.length % cells != 0 || b.length % (4 * cells) != 0) {
                throw new IllegalArgumentException("level " + level + " (stride " + stride + ", " + cells + " cells) has "
                        + s.length + " scores and " + b.length + " box values");
            }
            int classes = s.length / cells;
            int bins = b.length / (4 * cells);
            for (int cell = 0; cell < cells; cell++) {
                float[] d = null;
                for (int c = 0; c < classes; c++) {
                    float score = s[cell * classes + c];
                    if (score < options.minScore() || !(options.classes() == null || options.classes().isEmpty()
                            || options.classes().contains(c))) {
                        continue;
                    }
                    if (d == null) {
                        d = distances(b, cell * 4 * bins, bins, stride);
                    }
                    double cx = (cell % side + 0.5) * stride;
                    double cy = (cell / side + 0.5) * stride;
                    candidates.add(new Detection(c, score, clip(cx - d[0], inputSize), clip(cy - d[1], inputSize),
                            clip(cx + d[2], inputSize), clip(cy + d[3], inputSize)));
                }
            }
        }
        return nms(candidates, NMS_IOU, options.maxResults());
    }

    /** Left, top, right, bottom distances, pixels: per side the softmax over the bins, its expected index, times the stride. */
    static float[] distances(float[] b, int offset, int bins, int stride) {
        float[] d = new float[4];
        for (int side = 0; side < 4; side++) {
            int at = offset + side * bins;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < bins; k++) {
                max = Math.max(max, b[at + k]);
            }
            double sum = 0;
            double expected = 0;
            for (int k = 0; k < bins; k++) {
                double e = Math.exp(b[at + k] - max);
                sum += e;
                expected += e * k;
            }
            d[side] = (float) (expected / sum * stride);
        }
        return d;
    }

    private static float clip(double v, int size) {
        return (float) Math.max(0, Math.min(size, v));
    }

    /**
     * Greedy non-maximum suppression per class: within a class, best first, a box overlapping a kept
     * one by more than {@code iou} is dropped; then the best {@code maxResults} of all classes.
     */
    public static List<Detection> nms(List<Detection> detections, double iou, int maxResults) {
        Map<Integer, List<Detection>> byClass = new TreeMap<>();
        for (Detection d : detections) {
            byClass.computeIfAbsent(d.classIndex(), k -> new ArrayList<>()).add(d);
        }
        Comparator<Detection> best = Comparator.comparingDouble(Detection::score).reversed();
        List<Detection> kept = new ArrayList<>();
        for (List<Detection> list : byClass.values()) {
            list.sort(best);
            List<Detection> mine = new ArrayList<>();
            for (Detection d : list) {
                if (mine.stream().noneMatch(k -> k.iou(d) > iou)) {
                    mine.add(d);
                }
            }
            kept.addAll(mine);
        }
        kept.sort(best);
        return kept.size() > maxResults ? List.copyOf(kept.subList(0, maxResults)) : kept;
    }
}
