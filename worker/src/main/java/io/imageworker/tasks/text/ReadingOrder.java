package io.imageworker.tasks.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Groups lines into blocks and puts both in reading order (top to bottom, left to right), in a
 * frame turned by the lines' median direction so that skewed pages (a photo taken at an angle)
 * read as upright ones.
 *
 * <p>Two lines are in one block when one is above the other, overlapping horizontally, with a
 * vertical gap under {@value #LINE_GAP} of the lower line height and heights within
 * {@value #HEIGHT_RATIO}x of each other (a heading twice the size of the text under it is its own
 * block); or when they sit side by side in one row (vertical overlap over half the lower height)
 * less than {@value #WORD_GAP} line heights apart. Within a block, lines whose centres are within half
 * a line height form a row, read left to right. Blocks are read in bands: blocks whose vertical
 * extents overlap form a band (columns side by side), read left to right; bands top to bottom.
 * The full text joins blocks with a blank line ({@value #BLOCK_SEPARATOR_DESCRIPTION}).
 */
public final class ReadingOrder {

    /** Largest vertical gap between lines of one block, in line heights. */
    public static final double LINE_GAP = 0.6;
    /** Largest ratio of the heights of two stacked lines in one block. */
    public static final double HEIGHT_RATIO = 1.8;
    /** Largest horizontal gap between lines side by side in one row of a block, in line heights. */
    public static final double WORD_GAP = 1.0;
    /** Joins the blocks of the full text. */
    public static final String BLOCK_SEPARATOR = "\n\n";
    static final String BLOCK_SEPARATOR_DESCRIPTION = "\\n\\n";

    private ReadingOrder() {}

    /** A line's extent in the deskewed frame. */
    private record Placed(TextLine line, double u0, double u1, double v0, double v1) {
        double height() {
            return v1 - v0;
        }

        double vc() {
            return (v0 + v1) / 2;
        }
    }

    /** The median direction of the lines' top edges, radians; 0 when there are none. */
    public static double skew(List<TextLine> lines) {
        if (lines.isEmpty()) {
            return 0;
        }
        double[] a = lines.stream().mapToDouble(l -> l.quad().angle()).sorted().toArray();
        double m = a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
        return Math.max(-Math.PI / 4, Math.min(Math.PI / 4, m));
    }

    /** {@code lines} grouped into blocks, blocks and lines in reading order. */
    public static List<TextBlock> blocks(List<TextLine> lines) {
        double theta = skew(lines);
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        List<Placed> placed = new ArrayList<>();
        for (TextLine l : lines) {
            double u0 = Double.MAX_VALUE;
            double u1 = -Double.MAX_VALUE;
            double v0 = Double.MAX_VALUE;
            double v1 = -Double.MAX_VALUE;
            for (int i = 0; i < 4; i++) {
                double u = l.quad().x()[i] * cos + l.quad().y()[i] * sin;
                double v = -l.quad().x()[i] * sin + l.quad().y()[i] * cos;
                u0 = Math.min(u0, u);
                u1 = Math.max(u1, u);
                v0 = Math.min(v0, v);
                v1 = Math.max(v1, v);
            }
            placed.add(new Placed(l, u0, u1, v0, v1));
        }
        int n = placed.size();
        int[] parent = new int[n];
        Arrays.setAll(parent, i -> i);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (together(placed.get(i), placed.get(j))) {
                    parent[find(parent, i)] = find(parent, j);
                }
            }
        }
        List<List<Placed>> groups = new ArrayList<>();
        int[] groupOf = new int[n];
        Arrays.fill(groupOf, -1);
        for (int i = 0; i < n; i++) {
            int root = find(parent, i);
            if (groupOf[root] < 0) {
                groupOf[root] = groups.size();
                groups.add(new ArrayList<>());
            }
            groups.get(groupOf[root]).add(placed.get(i));
        }
        List<double[]> bounds = new ArrayList<>();
        List<TextBlock> blocks = new ArrayList<>();
        for (List<Placed> g : groups) {
            blocks.add(block(g, cos, sin));
            bounds.add(new double[] {g.stream().mapToDouble(Placed::u0).min().orElse(0),
                g.stream().mapToDouble(Placed::v0).min().orElse(0), g.stream().mapToDouble(Placed::v1).max().orElse(0)});
        }
        return inBands(blocks, bounds);
    }

    /** The blocks' text, in order, joined by {@link #BLOCK_SEPARATOR}. */
    public static String fullText(List<TextBlock> blocks) {
        return String.join(BLOCK_SEPARATOR, blocks.stream().map(TextBlock::text).toList());
    }

    private static boolean together(Placed a, Placed b) {
        double minH = Math.min(a.height(), b.height());
        double maxH = Math.max(a.height(), b.height());
        if (minH <= 0) {
            return false;
        }
        double uOverlap = Math.min(a.u1(), b.u1()) - Math.max(a.u0(), b.u0());
        double vOverlap = Math.min(a.v1(), b.v1()) - Math.max(a.v0(), b.v0());
        boolean stacked = uOverlap > 0 && -vOverlap < LINE_GAP * minH && maxH / minH <= HEIGHT_RATIO;
        boolean sideBySide = vOverlap > 0.5 * minH && -uOverlap < WORD_GAP * minH;
        return stacked || sideBySide;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** A block of {@code group}'s lines: rows top to bottom, left to right within a row. */
    private static TextBlock block(List<Placed> group, double cos, double sin) {
        List<Placed> byCentre = new ArrayList<>(group);
        byCentre.sort(Comparator.comparingDouble(Placed::vc));
        List<List<Placed>> rows = new ArrayList<>();
        for (Placed p : byCentre) {
            List<Placed> row = rows.isEmpty() ? null : rows.get(rows.size() - 1);
            if (row != null && Math.abs(p.vc() - row.get(0).vc()) < 0.5 * Math.min(p.height(), row.get(0).height())) {
                row.add(p);
            } else {
                rows.add(new ArrayList<>(List.of(p)));
            }
        }
        List<TextLine> ordered = new ArrayList<>();
        List<String> rowTexts = new ArrayList<>();
        double weighted = 0;
        int chars = 0;
        for (List<Placed> row : rows) {
            row.sort(Comparator.comparingDouble(Placed::u0));
            rowTexts.add(String.join(" ", row.stream().map(p -> p.line().text()).toList()));
            for (Placed p : row) {
                ordered.add(p.line());
                int k = Math.max(1, p.line().text().length());
                weighted += k * p.line().confidence();
                chars += k;
            }
        }
        double u0 = group.stream().mapToDouble(Placed::u0).min().orElse(0);
        double u1 = group.stream().mapToDouble(Placed::u1).max().orElse(0);
        double v0 = group.stream().mapToDouble(Placed::v0).min().orElse(0);
        double v1 = group.stream().mapToDouble(Placed::v1).max().orElse(0);
        double[] us = {u0, u1, u1, u0};
        double[] vs = {v0, v0, v1, v1};
        double[] x = new double[4];
        double[] y = new double[4];
        for (int i = 0; i < 4; i++) {
            x[i] = us[i] * cos - vs[i] * sin;
            y[i] = us[i] * sin + vs[i] * cos;
        }
        return new TextBlock(new Quad(x, y), String.join("\n", rowTexts), chars == 0 ? 0 : weighted / chars, ordered);
    }

    /** Blocks ordered in bands of vertically overlapping blocks, top to bottom; left to right in a band. */
    private static List<TextBlock> inBands(List<TextBlock> blocks, List<double[]> bounds) {
        Integer[] idx = new Integer[blocks.size()];
        Arrays.setAll(idx, i -> i);
        Arrays.sort(idx, Comparator.comparingDouble(i -> bounds.get(i)[1]));
        List<TextBlock> out = new ArrayList<>();
        List<Integer> band = new ArrayList<>();
        double bandBottom = -Double.MAX_VALUE;
        for (int i : idx) {
            double[] b = bounds.get(i);
            if (!band.isEmpty() && b[1] >= bandBottom) {
                flush(band, bounds, blocks, out);
            }
            band.add(i);
            bandBottom = Math.max(band.size() == 1 ? -Double.MAX_VALUE : bandBottom, b[2]);
        }
        flush(band, bounds, blocks, out);
        return out;
    }

    private static void flush(List<Integer> band, List<double[]> bounds, List<TextBlock> blocks, List<TextBlock> out) {
        band.sort(Comparator.<Integer>comparingDouble(i -> bounds.get(i)[0]).thenComparingDouble(i -> bounds.get(i)[1]));
        band.forEach(i -> out.add(blocks.get(i)));
        band.clear();
    }
}
