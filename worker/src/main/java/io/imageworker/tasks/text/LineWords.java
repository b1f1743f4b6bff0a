package io.imageworker.tasks.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Words and symbols of one line, placed from the recognizer's own time steps ({@link CtcDecoder#spans}),
 * as PaddleOCR's {@code return_word_box} places them: step {@code t} of {@code T} sees the fraction
 * {@code [t / T, (t + 1) / T)} of the line's crop (the crop is stretched whole to the recognizer's
 * input, unpadded: {@link TextReader}), and the crop is the perspective warp of the grown line quad
 * ({@link Crops#crop}), so a fraction along the crop is a line across the quad in the image.
 *
 * <p>Where along the crop: CTC fires a symbol on a short run of steps near the middle of its glyph,
 * not over all of it. A symbol runs from half way to the previous symbol's run to half way to the
 * next one's (the blank steps between two runs are shared); the first and last symbols of a word
 * reach out from their run's centre by {@value #EDGE} of the line's pitch (the median distance
 * between the centres of neighbouring symbols in a word), never past half way to the next word.
 * {@value #EDGE} was chosen on {@code WordBoxAccuracyTest}'s pages, which measure it (0.3, 0.4, 0.5,
 * 0.6 and 0.7 gave a mean word IoU of 0.743, 0.755, 0.758, 0.754 and 0.743 there).
 *
 * <p>Across the line: from the detected line's top edge to its bottom edge (not the crop's margin).
 * Quads are in the reading frame (top-left where the line starts to read: the image's top-right for a
 * vertical line turned to be read, the bottom-right for a line read upside down).
 */
public final class LineWords {

    /** How far the outer symbols of a word reach from their run's centre, in pitches. */
    public static final double EDGE = 0.5;

    private LineWords() {}

    /**
     * Where a line's crop lies in the image.
     *
     * @param crop the quad the crop was cut from (the detected quad grown), in reading frame
     * @param line the detected line's quad, in the same frame
     */
    public record Frame(Quad crop, Quad line) {

        /**
         * The frame of a line cut from {@code grown} ({@link Crops#crop}: turned 90 degrees
         * counter-clockwise when vertical) and then turned 180 degrees when {@code flipped}.
         */
        public static Frame of(Quad detected, Quad grown, boolean flipped) {
            boolean vertical = Crops.isVertical(grown);
            Quad c = vertical ? Crops.readingFrame(grown) : grown;
            Quad l = vertical ? Crops.readingFrame(detected) : detected;
            return flipped ? new Frame(turned(c), turned(l)) : new Frame(c, l);
        }
    }

    /** {@code q}'s corners relabelled for a line read upside down: bottom-right first. */
    static Quad turned(Quad q) {
        double[] x = q.x();
        double[] y = q.y();
        return new Quad(new double[] {x[2], x[3], x[0], x[1]}, new double[] {y[2], y[3], y[0], y[1]});
    }

    /**
     * The point at {@code (u, v)} of {@code q} ({@code u} along its top edge, {@code v} down its left
     * edge, both 0..1): the projective map of the unit square onto {@code q} (Heckbert, 1989), the
     * inverse of the crop's perspective warp.
     *
     * @return {x, y}, pixels
     */
    static double[] at(Quad q, double u, double v) {
        double[] x = q.x();
        double[] y = q.y();
        double sx = x[0] - x[1] + x[2] - x[3];
        double sy = y[0] - y[1] + y[2] - y[3];
        double g = 0;
        double h = 0;
        if (Math.abs(sx) > 1e-9 || Math.abs(sy) > 1e-9) {
            double dx1 = x[1] - x[2];
            double dx2 = x[3] - x[2];
            double dy1 = y[1] - y[2];
            double dy2 = y[3] - y[2];
            double den = dx1 * dy2 - dx2 * dy1;
            if (Math.abs(den) > 1e-12) {
                g = (sx * dy2 - dx2 * sy) / den;
                h = (dx1 * sy - sx * dy1) / den;
            }
        }
        double a = x[1] - x[0] + g * x[1];
        double b = x[3] - x[0] + h * x[3];
        double d = y[1] - y[0] + g * y[1];
        double e = y[3] - y[0] + h * y[3];
        double w = g * u + h * v + 1;
        return new double[] {(a * u + b * v + x[0]) / w, (d * u + e * v + y[0]) / w};
    }

    /**
     * The quad between fractions {@code u0} and {@code u1} along the crop, from the line's top edge
     * to its bottom edge: each fraction's line across the crop cut by the line's edges.
     */
    static Quad between(Frame f, double u0, double u1) {
        double[] tl = across(f, u0, 0, 1);
        double[] tr = across(f, u1, 0, 1);
        double[] br = across(f, u1, 3, 2);
        double[] bl = across(f, u0, 3, 2);
        return new Quad(new double[] {tl[0], tr[0], br[0], bl[0]}, new double[] {tl[1], tr[1], br[1], bl[1]});
    }

    /** Where the crop's cross line at {@code u} meets the line's edge from corner {@code i} to {@code j}. */
    private static double[] across(Frame f, double u, int i, int j) {
        double[] p = at(f.crop(), u, 0);
        double[] q = at(f.crop(), u, 1);
        double[] lx = f.line().x();
        double[] ly = f.line().y();
        double rx = q[0] - p[0];
        double ry = q[1] - p[1];
        double sx = lx[j] - lx[i];
        double sy = ly[j] - ly[i];
        double den = rx * sy - ry * sx;
        if (Math.abs(den) < 1e-9) {
            return i == 0 ? p : q;
        }
        double t = ((lx[i] - p[0]) * sy - (ly[i] - p[1]) * sx) / den;
        return new double[] {p[0] + t * rx, p[1] + t * ry};
    }

    /** True for a character that is a word of its own: Han, Hiragana, Katakana. */
    static boolean ownWord(String symbol) {
        if (symbol.isEmpty()) {
            return false;
        }
        Character.UnicodeScript s = Character.UnicodeScript.of(symbol.codePointAt(0));
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA;
    }

    /** The words of a line: its symbols split at spaces (and around {@link #ownWord} characters), in steps. */
    static List<List<CtcDecoder.Symbol>> split(List<CtcDecoder.Symbol> symbols) {
        List<List<CtcDecoder.Symbol>> words = new ArrayList<>();
        List<CtcDecoder.Symbol> word = new ArrayList<>();
        for (CtcDecoder.Symbol s : symbols) {
            boolean space = s.text().isBlank();
            if (space || ownWord(s.text())) {
                if (!word.isEmpty()) {
                    words.add(word);
                    word = new ArrayList<>();
                }
                if (!space) {
                    words.add(List.of(s));
                }
                continue;
            }
            word.add(s);
        }
        if (!word.isEmpty()) {
            words.add(word);
        }
        return words;
    }

    /**
     * The line's pitch in steps: the median distance between the centres of neighbouring symbols
     * of a word; without two such symbols, the steps per symbol of the line.
     */
    static double pitch(List<List<CtcDecoder.Symbol>> words, int steps) {
        List<Double> d = new ArrayList<>();
        int n = 0;
        for (List<CtcDecoder.Symbol> w : words) {
            n += w.size();
            for (int i = 1; i < w.size(); i++) {
                d.add(w.get(i).centre() - w.get(i - 1).centre());
            }
        }
        if (d.isEmpty()) {
            return steps / (double) Math.max(1, n);
        }
        double[] a = d.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /**
     * Each symbol's extent {from, to} in steps (0..{@code steps}), words as {@link #split} gives
     * them; see the class comment.
     */
    static double[][][] extents(List<List<CtcDecoder.Symbol>> words, int steps) {
        double reach = EDGE * pitch(words, steps);
        double[][][] out = new double[words.size()][][];
        for (int k = 0; k < words.size(); k++) {
            List<CtcDecoder.Symbol> w = words.get(k);
            double lo = k == 0 ? 0 : (words.get(k - 1).get(words.get(k - 1).size() - 1).last() + 1 + w.get(0).first()) / 2.0;
            double hi = k == words.size() - 1 ? steps
                    : (w.get(w.size() - 1).last() + 1 + words.get(k + 1).get(0).first()) / 2.0;
            out[k] = new double[w.size()][2];
            for (int i = 0; i < w.size(); i++) {
                CtcDecoder.Symbol s = w.get(i);
                out[k][i][0] = i == 0 ? Math.max(lo, Math.min(s.first(), s.centre() - reach))
                        : (w.get(i - 1).last() + 1 + s.first()) / 2.0;
                out[k][i][1] = i == w.size() - 1 ? Math.min(hi, Math.max(s.last() + 1, s.centre() + reach))
                        : (s.last() + 1 + w.get(i + 1).first()) / 2.0;
            }
        }
        return out;
    }

    /** The words of a line read as {@code spans} from a crop placed by {@code frame}, in reading order. */
    public static List<TextWord> words(CtcDecoder.Spans spans, Frame frame) {
        List<List<CtcDecoder.Symbol>> words = split(spans.symbols());
        if (words.isEmpty() || spans.steps() == 0) {
            return List.of();
        }
        double[][][] ext = extents(words, spans.steps());
        double t = spans.steps();
        List<TextWord> out = new ArrayList<>(words.size());
        for (int k = 0; k < words.size(); k++) {
            List<CtcDecoder.Symbol> w = words.get(k);
            List<TextWord.Symbol> symbols = new ArrayList<>(w.size());
            StringBuilder text = new StringBuilder();
            double sum = 0;
            for (int i = 0; i < w.size(); i++) {
                CtcDecoder.Symbol s = w.get(i);
                symbols.add(new TextWord.Symbol(between(frame, ext[k][i][0] / t, ext[k][i][1] / t), s.text(), s.confidence()));
                text.append(s.text());
                sum += s.confidence();
            }
            out.add(new TextWord(between(frame, ext[k][0][0] / t, ext[k][w.size() - 1][1] / t), text.toString(),
                    sum / w.size(), List.copyOf(symbols)));
        }
        return List.copyOf(out);
    }
}
