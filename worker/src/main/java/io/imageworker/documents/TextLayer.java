package io.imageworker.documents;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * A PDF page's embedded text (its text layer: what a word processor wrote, or the invisible text
 * OCRmyPDF adds to a scan), read with PDFBox's {@link PDFTextStripper} in reading order, each word
 * with its box in the page's pixels at the scale the page is rendered at; and the test of whether
 * that text can stand in for OCR ({@code textLayer: auto}: {@link Text#sane()}).
 */
public final class TextLayer {

    private TextLayer() {}

    /**
     * One word of the text layer.
     *
     * @param text the word, no spaces
     * @param line the line it is on, from 0, in reading order
     * @param left left edge, pixels of the rendered page
     * @param top top edge, pixels
     * @param width width, pixels
     * @param height height, pixels (the font's glyph height as PDFBox measures it, about the capital height)
     */
    public record Word(String text, int line, int left, int top, int width, int height) {}

    /**
     * A page's text layer.
     *
     * @param words in reading order
     */
    public record Text(List<Word> words) {

        /** No text layer (TIFF and GIF pages). */
        public static final Text NONE = new Text(List.of());

        /** Copies the list. */
        public Text {
            words = List.copyOf(words);
        }

        /** The words, single spaces between words of a line and a line break between lines. */
        public String text() {
            StringBuilder out = new StringBuilder();
            int line = -1;
            for (Word w : words) {
                if (line >= 0) {
                    out.append(w.line() == line ? ' ' : '\n');
                }
                out.append(w.text());
                line = w.line();
            }
            return out.toString();
        }

        /** Why this text should not stand in for OCR, or null when it can ({@link TextLayer#judge}). */
        public String insanity() {
            return judge(words.stream().map(Word::text).collect(Collectors.joining(" ")));
        }

        /** Whether this text can stand in for OCR: {@link #insanity()} is null. */
        public boolean sane() {
            return insanity() == null;
        }
    }

    /** Most characters of a text layer that may be unmapped, control or private-use characters. */
    static final double MAX_UNPRINTABLE = 0.02;
    /** Fewest letters and digits among a text layer's non-space characters. */
    static final double MIN_ALPHANUMERIC = 0.5;

    /**
     * Why {@code text} is not usable as a page's text, or null when it is: it is empty; more than
     * {@value #MAX_UNPRINTABLE} of its characters are U+FFFD (glyphs PDFBox could not map to Unicode), control,
     * private-use or unassigned characters (a font without a {@code ToUnicode} map gives such codes); or fewer
     * than {@value #MIN_ALPHANUMERIC} of its other characters are letters or digits (glyph names mapped to
     * symbols).
     */
    public static String judge(String text) {
        int total = 0;
        int unprintable = 0;
        int alphanumeric = 0;
        for (int cp : (Iterable<Integer>) text.codePoints()::iterator) {
            if (Character.isWhitespace(cp)) {
                continue;
            }
            total++;
            int type = Character.getType(cp);
            if (cp == 0xFFFD || Character.isISOControl(cp) || type == Character.PRIVATE_USE || type == Character.UNASSIGNED
                    || type == Character.SURROGATE) {
                unprintable++;
            } else if (Character.isLetterOrDigit(cp)) {
                alphanumeric++;
            }
        }
        if (total == 0) {
            return "the page has no text layer";
        }
        if (unprintable > MAX_UNPRINTABLE * total) {
            return unprintable + " of " + total + " characters of the text layer are unmapped or unprintable";
        }
        if (alphanumeric < MIN_ALPHANUMERIC * total) {
            return "only " + alphanumeric + " of " + total + " characters of the text layer are letters or digits";
        }
        return null;
    }

    /**
     * Reads page {@code number}'s (1-based) text layer, boxes scaled by {@code scale} pixels per point.
     *
     * @throws PageBudget.Exceeded when {@code budget} is spent
     */
    static Text read(PDDocument document, int number, double scale, PageBudget budget) throws IOException {
        Collector collector = new Collector(scale, budget);
        collector.setSortByPosition(true);
        collector.setStartPage(number);
        collector.setEndPage(number);
        collector.writeText(document, new StringWriter());
        return new Text(collector.words);
    }

    /**
     * Collects the words PDFTextStripper writes: a {@code writeString} call is a run of text between the gaps
     * it infers, which holds the spaces the PDF draws itself, so runs are split again at whitespace.
     */
    private static final class Collector extends PDFTextStripper {
        private final double scale;
        private final PageBudget budget;
        private final List<Word> words = new ArrayList<>();
        private int line;

        Collector(double scale, PageBudget budget) {
            this.scale = scale;
            this.budget = budget;
        }

        @Override
        protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
            budget.check();
            super.processOperator(operator, operands);
        }

        @Override
        protected void writeString(String text, List<TextPosition> positions) {
            List<TextPosition> word = new ArrayList<>();
            for (TextPosition p : positions) {
                if (p.getUnicode() == null || p.getUnicode().isBlank()) {
                    addWord(word);
                    word.clear();
                } else {
                    word.add(p);
                }
            }
            addWord(word);
        }

        private void addWord(List<TextPosition> positions) {
            if (positions.isEmpty()) {
                return;
            }
            StringBuilder text = new StringBuilder();
            double left = Double.MAX_VALUE;
            double top = Double.MAX_VALUE;
            double right = -Double.MAX_VALUE;
            double bottom = -Double.MAX_VALUE;
            for (TextPosition p : positions) {
                text.append(p.getUnicode());
                // "DirAdj": in the page's shown orientation, y from the top, baseline at yDirAdj
                left = Math.min(left, p.getXDirAdj());
                right = Math.max(right, p.getXDirAdj() + p.getWidthDirAdj());
                top = Math.min(top, p.getYDirAdj() - p.getHeightDir());
                bottom = Math.max(bottom, p.getYDirAdj());
            }
            int x = (int) Math.floor(left * scale);
            int y = (int) Math.floor(top * scale);
            words.add(new Word(text.toString().strip(), line, x, y, (int) Math.ceil(right * scale) - x,
                    (int) Math.ceil(bottom * scale) - y));
        }

        @Override
        protected void writeLineSeparator() {
            line++;
        }
    }
}
