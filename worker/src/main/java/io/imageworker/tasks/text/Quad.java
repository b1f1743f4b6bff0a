package io.imageworker.tasks.text;

import java.util.ArrayList;
import java.util.List;

/**
 * A quadrilateral in image pixels: 4 points clockwise (in image coordinates, y down) from the top-left,
 * as PaddleOCR orders boxes ({@code get_mini_boxes}): top-left, top-right, bottom-right, bottom-left.
 *
 * @param x the 4 x coordinates, pixels
 * @param y the 4 y coordinates, pixels
 */
public record Quad(double[] x, double[] y) {

    /**
     * @throws IllegalArgumentException unless there are exactly 4 of each
     */
    public Quad {
        if (x.length != 4 || y.length != 4) {
            throw new IllegalArgumentException("a quad has 4 points, not " + x.length + "/" + y.length);
        }
    }

    /**
     * Orders 4 corners of a rectangle the way PaddleOCR's {@code get_mini_boxes} does: of the two
     * leftmost points the upper is top-left and the lower bottom-left; of the two rightmost, the upper
     * is top-right and the lower bottom-right.
     *
     * @param px 4 x coordinates in any order
     * @param py the matching y coordinates
     */
    public static Quad ordered(double[] px, double[] py) {
        Integer[] idx = {0, 1, 2, 3};
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(px[a], px[b]));
        int tl = py[idx[0]] <= py[idx[1]] ? idx[0] : idx[1];
        int bl = tl == idx[0] ? idx[1] : idx[0];
        int tr = py[idx[2]] <= py[idx[3]] ? idx[2] : idx[3];
        int br = tr == idx[2] ? idx[3] : idx[2];
        return new Quad(new double[] {px[tl], px[tr], px[br], px[bl]}, new double[] {py[tl], py[tr], py[br], py[bl]});
    }

    /** Length of the top edge (top-left to top-right), pixels. */
    public double topLength() {
        return Math.hypot(x[1] - x[0], y[1] - y[0]);
    }

    /** Length of the left edge (top-left to bottom-left), pixels. */
    public double leftLength() {
        return Math.hypot(x[3] - x[0], y[3] - y[0]);
    }

    /** The longer of the two vertical edges (left, right), pixels. */
    public double height() {
        return Math.max(leftLength(), Math.hypot(x[2] - x[1], y[2] - y[1]));
    }

    /** The mean of the 4 corners {x, y}, pixels. */
    public double[] centre() {
        return new double[] {(x[0] + x[1] + x[2] + x[3]) / 4, (y[0] + y[1] + y[2] + y[3]) / 4};
    }

    /** Direction of the top edge, radians (0: horizontal, positive: descending to the right in image coordinates). */
    public double angle() {
        return Math.atan2(y[1] - y[0], x[1] - x[0]);
    }

    /** True when every corner lies within [0, width] x [0, height]. */
    public boolean inside(int width, int height) {
        for (int i = 0; i < 4; i++) {
            if (x[i] < 0 || y[i] < 0 || x[i] > width || y[i] > height) {
                return false;
            }
        }
        return true;
    }

    /** The corners as {@code [[x, y] x 4]} rounded to whole pixels, for results. */
    public List<List<Long>> points() {
        return points(1);
    }

    /** The corners times {@code scale} (a decoding subsampling factor) as {@code [[x, y] x 4]}, rounded to whole pixels. */
    public List<List<Long>> points(double scale) {
        List<List<Long>> out = new ArrayList<>(4);
        for (int i = 0; i < 4; i++) {
            out.add(List.of(Math.round(x[i] * scale), Math.round(y[i] * scale)));
        }
        return out;
    }
}
