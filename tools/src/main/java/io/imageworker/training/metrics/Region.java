package io.imageworker.training.metrics;

import java.awt.geom.Area;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.util.Arrays;

/**
 * A closed polygon in image pixels (x right, y down, origin at the top-left corner of the image as
 * stored): an axis-aligned face box, or a text line's 4-point polygon (clockwise from the top-left
 * corner of the text, as PP-OCR and ICDAR 2015 write them; any vertex order works here).
 *
 * <p>Overlap is intersection over union, IoU = area(A and B) / area(A or B), in [0, 1] (Everingham
 * et al., "The PASCAL Visual Object Classes (VOC) Challenge", IJCV 88, 2010, section 4.4). Boxes use
 * exact rectangle arithmetic; other polygons use {@link java.awt.geom.Area} (the JDK's constructive
 * area geometry) and the shoelace formula on its outline.
 *
 * @param xs vertex x coordinates, pixels
 * @param ys vertex y coordinates, pixels, as many as {@code xs} (at least 3)
 */
public record Region(double[] xs, double[] ys) {

    /** Checks the vertex arrays and copies them. */
    public Region {
        if (xs.length != ys.length || xs.length < 3) {
            throw new IllegalArgumentException("a region needs at least 3 vertices with x and y, got " + xs.length + " x and "
                    + ys.length + " y");
        }
        xs = xs.clone();
        ys = ys.clone();
    }

    /**
     * An axis-aligned box.
     *
     * @param x left edge, pixels
     * @param y top edge, pixels
     * @param width pixels, &gt;= 0
     * @param height pixels, &gt;= 0
     */
    public static Region box(double x, double y, double width, double height) {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("negative box size " + width + " x " + height);
        }
        return new Region(new double[] {x, x + width, x + width, x}, new double[] {y, y, y + height, y + height});
    }

    /**
     * A polygon from interleaved points {@code x0, y0, x1, y1, ...} (the layout of a 4-point text
     * polygon in labels and task outputs).
     */
    public static Region polygon(double... xy) {
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException("odd number of coordinates: " + xy.length);
        }
        double[] xs = new double[xy.length / 2];
        double[] ys = new double[xy.length / 2];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = xy[2 * i];
            ys[i] = xy[2 * i + 1];
        }
        return new Region(xs, ys);
    }

    /** True when the polygon is an axis-aligned rectangle (4 vertices, each edge horizontal or vertical). */
    public boolean isBox() {
        if (xs.length != 4) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            int j = (i + 1) % 4;
            if (xs[i] != xs[j] && ys[i] != ys[j]) {
                return false;
            }
        }
        return true;
    }

    /** The smallest axis-aligned box holding every vertex. */
    public Region bounds() {
        return box(minX(), minY(), maxX() - minX(), maxY() - minY());
    }

    /** Least x of the vertices. */
    public double minX() {
        return Arrays.stream(xs).min().orElseThrow();
    }

    /** Least y of the vertices (the top). */
    public double minY() {
        return Arrays.stream(ys).min().orElseThrow();
    }

    /** Greatest x of the vertices. */
    public double maxX() {
        return Arrays.stream(xs).max().orElseThrow();
    }

    /** Greatest y of the vertices (the bottom). */
    public double maxY() {
        return Arrays.stream(ys).max().orElseThrow();
    }

    /** Enclosed area in square pixels (shoelace formula; the absolute value, so vertex order does not matter). */
    public double area() {
        double s = 0;
        for (int i = 0; i < xs.length; i++) {
            int j = (i + 1) % xs.length;
            s += xs[i] * ys[j] - xs[j] * ys[i];
        }
        return Math.abs(s) / 2;
    }

    /**
     * Intersection over union with another region, in [0, 1]; 0 when both are empty.
     */
    public double iou(Region other) {
        double inter;
        if (isBox() && other.isBox()) {
            double w = Math.min(maxX(), other.maxX()) - Math.max(minX(), other.minX());
            double h = Math.min(maxY(), other.maxY()) - Math.max(minY(), other.minY());
            inter = w > 0 && h > 0 ? w * h : 0;
        } else {
            Area a = new Area(path());
            a.intersect(new Area(other.path()));
            inter = area(a);
        }
        double union = area() + other.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /** IoU of the two regions' bounding boxes ({@link #bounds()}): the looser rule for rotated text. */
    public double boundsIou(Region other) {
        return bounds().iou(other.bounds());
    }

    private Path2D path() {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xs[0], ys[0]);
        for (int i = 1; i < xs.length; i++) {
            p.lineTo(xs[i], ys[i]);
        }
        p.closePath();
        return p;
    }

    /** Area of a constructive-geometry area: sum of the shoelace areas of its closed sub-paths (holes count negative). */
    static double area(Area a) {
        double total = 0;
        double[] c = new double[6];
        double sx = 0;
        double sy = 0;
        double px = 0;
        double py = 0;
        double s = 0;
        for (PathIterator it = a.getPathIterator(null); !it.isDone(); it.next()) {
            switch (it.currentSegment(c)) {
                case PathIterator.SEG_MOVETO -> {
                    sx = px = c[0];
                    sy = py = c[1];
                    s = 0;
                }
                case PathIterator.SEG_LINETO -> {
                    s += px * c[1] - c[0] * py;
                    px = c[0];
                    py = c[1];
                }
                case PathIterator.SEG_CLOSE -> {
                    s += px * sy - sx * py;
                    total += s / 2;
                    px = sx;
                    py = sy;
                    s = 0;
                }
                default -> throw new IllegalStateException("a polygon's area holds only straight segments");
            }
        }
        return Math.abs(total);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Region r && Arrays.equals(xs, r.xs) && Arrays.equals(ys, r.ys);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(xs) + Arrays.hashCode(ys);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Region[");
        for (int i = 0; i < xs.length; i++) {
            b.append(i == 0 ? "" : ", ").append('(').append(xs[i]).append(", ").append(ys[i]).append(')');
        }
        return b.append(']').toString();
    }
}
