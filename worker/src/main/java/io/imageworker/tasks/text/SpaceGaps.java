package io.imageworker.tasks.text;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Word spaces the recognizer left out, put back from the ink: where two symbols read without a space
 * between them stand at least as far apart as the line's own spaces do, a space is read between them.
 *
 * <p>Why: the recognizer (PP-OCRv4's CTC) drops spaces where a page photo's blur narrows them
 * ({@code "No.28"}, {@code "15.03monday"}); those were most of our errors on photographed pages, which
 * Tesseract read right (it places spaces from the gaps between glyphs, as this does).
 *
 * <p>The rule: the white gap at each space the recognizer did read is measured, and a gap between two
 * symbols without one is a space when it is at least as wide as the narrowest of those ({@value #OF_SPACE})
 * <em>and</em> at least {@value #OF_HEIGHT} of the detected line's height. Never beside a Han, kana or
 * Hangul symbol (Chinese and Japanese put no spaces between words), never between two digits
 * (tabular figures give a {@code 1} wide gaps: {@code "11"} is not {@code "1 1"}), and at least twice the
 * line's letter spacing ({@value #OF_SPACING}, the median gap inside its words: a monospaced receipt or
 * a letter-spaced strip has wide gaps beside every narrow glyph). A line with no space read keeps its text:
 * there is nothing to measure against (a height bar alone split single words of strips and receipts:
 * {@code "Fo rest"}, {@code "45 . 46"}, in {@code StripSetTest}). Chosen on the documents study's pages
 * ({@code DocumentReadingStudyTest}, seeds 1-3, not the documents set's): the spaces left out measured 0.29
 * to 0.36 of the line's height, gaps inside words at most 0.25 (a {@code 1} beside a stop); the narrowest
 * read space alone put a space in {@code "fel l"} on {@code TextReaderTest}'s page, where an {@code f}'s hook
 * narrowed a read space to 4 px, and the second condition keeps that out (the {@code ll} gap was 0.20).
 * With a global (Otsu) threshold, lines half in a phone's shadow got spaces between their letters
 * ({@code "d eli v e ry"} on the study's {@code photo-shared-pdf} pages); the local threshold below ended that.
 * Still missed: spaces narrower than 0.25 of the line ({@code "Hospitallibrary"} on a study page).
 *
 * <p>How: the crop (as the recognizer read it) is split into ink and paper by a local threshold
 * ({@link #whiteColumns}); a column is white when no pixel of the crop's middle {@value #BAND} of rows is
 * ink (a neighbour line's descenders and ascenders reach into the margins). A symbol sits at its run's centre, {@code centre / T} of the crop's width
 * ({@link LineWords} maps steps the same way); the gap between two symbols is the longest run of white
 * columns between their centres.
 */
public final class SpaceGaps {

    /** A gap at least this share of the line's narrowest read space, and {@link #OF_HEIGHT} of its height, is a space. */
    public static final double OF_SPACE = 1.0;
    /** The least gap of a space, in detected line heights. */
    public static final double OF_HEIGHT = 0.25;
    /**
     * And in the line's letter spacing (the median gap inside its words): monospaced and letter-spaced
     * lines have wide gaps beside every narrow glyph ({@code "BI RD"}, {@code "45 . 46"} on receipts).
     */
    public static final double OF_SPACING = 2;
    /** The share of the crop's rows, about its middle, whose ink counts. */
    static final double BAND = 0.6;

    private SpaceGaps() {}

    /**
     * {@code spans} with the spaces the ink of {@code crop} shows and the recognizer left out; {@code spans}
     * itself when there are none. An added space takes the blank steps between its neighbours' runs and the
     * lower of their confidences.
     *
     * @param spans the line as decoded from {@code crop}
     * @param crop the line's crop as the recognizer read it (turned when it was turned)
     * @param lineShare the detected line's height over the crop's (the crop has margins), in (0, 1]
     */
    public static CtcDecoder.Spans restore(CtcDecoder.Spans spans, BufferedImage crop, double lineShare) {
        List<CtcDecoder.Symbol> s = spans.symbols();
        if (s.size() < 3 || s.stream().noneMatch(SpaceGaps::isSpace) || spans.steps() == 0) {
            return spans;
        }
        double lineHeight = lineShare * crop.getHeight();
        boolean[] white = whiteColumns(crop, (int) Math.round(lineHeight));
        double perStep = crop.getWidth() / (double) spans.steps();
        double narrowest = Double.MAX_VALUE;
        for (int i = 1; i + 1 < s.size(); i++) {
            if (isSpace(s.get(i)) && !isSpace(s.get(i - 1)) && !isSpace(s.get(i + 1))) {
                narrowest = Math.min(narrowest, gap(white, s.get(i - 1).centre() * perStep, s.get(i + 1).centre() * perStep));
            }
        }
        if (narrowest == Double.MAX_VALUE) {
            return spans;
        }
        // each gap between neighbours read in one word, measured once (-1 beside a space); their median is
        // the line's letter spacing
        int[] inWord = new int[s.size()];
        List<Integer> sorted = new ArrayList<>();
        for (int i = 1; i < s.size(); i++) {
            boolean pair = !isSpace(s.get(i - 1)) && !isSpace(s.get(i));
            inWord[i] = pair ? gap(white, s.get(i - 1).centre() * perStep, s.get(i).centre() * perStep) : -1;
            if (pair) {
                sorted.add(inWord[i]);
            }
        }
        if (sorted.isEmpty()) {
            return spans;
        }
        Collections.sort(sorted);
        double least = Math.max(Math.max(OF_SPACE * narrowest, OF_HEIGHT * lineHeight), OF_SPACING * sorted.get(sorted.size() / 2));
        List<CtcDecoder.Symbol> out = new ArrayList<>(s.size() + 4);
        out.add(s.get(0));
        for (int i = 1; i < s.size(); i++) {
            CtcDecoder.Symbol a = s.get(i - 1);
            CtcDecoder.Symbol b = s.get(i);
            if (inWord[i] >= least && !(isDigit(a) && isDigit(b)) && !unspaced(a) && !unspaced(b)) {
                // the space takes the blank steps between the two runs, as a read space does
                int last = Math.max(a.last(), b.first() - 1);
                out.add(new CtcDecoder.Symbol(" ", Math.min(a.last() + 1, last), last, Math.min(a.confidence(), b.confidence())));
            }
            out.add(b);
        }
        return out.size() == s.size() ? spans : new CtcDecoder.Spans(List.copyOf(out), spans.steps());
    }

    /**
     * Whether the symbol is of a script written without spaces between words (Han, kana) or whose
     * syllable blocks stand apart (Hangul): a gap beside it says nothing of a word's end.
     */
    static boolean unspaced(CtcDecoder.Symbol s) {
        if (s.text().isEmpty()) {
            return false;
        }
        Character.UnicodeScript script = Character.UnicodeScript.of(s.text().codePointAt(0));
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
    }

    static boolean isDigit(CtcDecoder.Symbol s) {
        return s.text().length() == 1 && Character.isDigit(s.text().charAt(0));
    }

    static boolean isSpace(CtcDecoder.Symbol s) {
        return s.text().isBlank();
    }

    /** The longest run of white columns in {@code [from, to)}, pixels. */
    static int gap(boolean[] white, double from, double to) {
        int best = 0;
        int run = 0;
        for (int x = Math.max(0, (int) Math.ceil(from)); x < Math.min(white.length, (int) Math.floor(to)); x++) {
            run = white[x] ? run + 1 : 0;
            best = Math.max(best, run);
        }
        return best;
    }

    /**
     * Per column of {@code crop}, whether no pixel of its middle band is ink. A pixel is ink when it is darker
     * (lighter, for light text on dark) than the mean of the square about it, one line height ({@code window})
     * wide, by at least a tenth of the crop's contrast: a local threshold, so a shadow's edge across the line
     * does not turn its lit or its shaded part into one white run (a global threshold put spaces between
     * the letters of photographed lines half in the phone's shadow).
     */
    static boolean[] whiteColumns(BufferedImage crop, int window) {
        int w = crop.getWidth();
        int h = crop.getHeight();
        int[] grey = new int[w * h];
        int[] histogram = new int[256];
        long[] integral = new long[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            long row = 0;
            for (int x = 0; x < w; x++) {
                int rgb = crop.getRGB(x, y);
                int g = (299 * ((rgb >> 16) & 0xff) + 587 * ((rgb >> 8) & 0xff) + 114 * (rgb & 0xff)) / 1000;
                grey[y * w + x] = g;
                histogram[g]++;
                row += g;
                integral[(y + 1) * (w + 1) + x + 1] = integral[y * (w + 1) + x + 1] + row;
            }
        }
        int p5 = percentile(histogram, w * h, 0.05);
        int p95 = percentile(histogram, w * h, 0.95);
        double contrast = Math.max(8, 0.1 * (p95 - p5));
        int r = Math.max(1, window / 2);
        int top = (int) Math.floor(h * (1 - BAND) / 2);
        int bottom = h - top;
        // each band pixel's difference from its square's mean; ink differs from it most (it is the smaller
        // class), so the sign of the large differences says dark ink on light or light ink on dark
        float[] diff = new float[w * (bottom - top)];
        int darker = 0;
        int lighter = 0;
        for (int y = top; y < bottom; y++) {
            int y0 = Math.max(0, y - r);
            int y1 = Math.min(h, y + r + 1);
            for (int x = 0; x < w; x++) {
                int x0 = Math.max(0, x - r);
                int x1 = Math.min(w, x + r + 1);
                long sum = integral[y1 * (w + 1) + x1] - integral[y0 * (w + 1) + x1] - integral[y1 * (w + 1) + x0]
                        + integral[y0 * (w + 1) + x0];
                float d = (float) (grey[y * w + x] - sum / (double) ((x1 - x0) * (y1 - y0)));
                diff[(y - top) * w + x] = d;
                darker += d < -0.5 * (p95 - p5) ? 1 : 0;
                lighter += d > 0.5 * (p95 - p5) ? 1 : 0;
            }
        }
        boolean inkIsDark = darker >= lighter;
        boolean[] white = new boolean[w];
        for (int x = 0; x < w; x++) {
            boolean ink = false;
            for (int y = top; y < bottom && !ink; y++) {
                float d = diff[(y - top) * w + x];
                ink = inkIsDark ? d < -contrast : d > contrast;
            }
            white[x] = !ink;
        }
        return white;
    }

    /** The grey level below which {@code share} of the pixels lie. */
    static int percentile(int[] histogram, int total, double share) {
        long seen = 0;
        for (int i = 0; i < 256; i++) {
            seen += histogram[i];
            if (seen >= share * total) {
                return i;
            }
        }
        return 255;
    }
}
