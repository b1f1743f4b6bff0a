package io.imageworker.imaging;

/**
 * A pixel-aligned box: columns {@code x0 <= x < x1}, rows {@code y0 <= y < y1}.
 *
 * @param x0 first column
 * @param y0 first row
 * @param x1 one past the last column
 * @param y1 one past the last row
 */
public record Box(int x0, int y0, int x1, int y1) {

    /** Columns covered, in pixels; 0 when {@code x1 <= x0}. */
    public int width() {
        return Math.max(0, x1 - x0);
    }

    /** Rows covered, in pixels; 0 when {@code y1 <= y0}. */
    public int height() {
        return Math.max(0, y1 - y0);
    }

    /** Pixels covered: width times height, 0 for an empty box. */
    public int area() {
        return width() * height();
    }

    /**
     * True when pixel (x, y) lies in the box (half-open: column {@code x1} and row {@code y1} are
     * outside).
     */
    public boolean contains(int x, int y) {
        return x >= x0 && x < x1 && y >= y0 && y < y1;
    }

    /** The overlap of two boxes (empty: zero area). */
    public Box intersect(Box o) {
        return new Box(Math.max(x0, o.x0), Math.max(y0, o.y0), Math.min(x1, o.x1), Math.min(y1, o.y1));
    }

    /** Intersection over union; 0 when both are empty. */
    public double iou(Box o) {
        int inter = intersect(o).area();
        int union = area() + o.area() - inter;
        return union <= 0 ? 0 : inter / (double) union;
    }
}
