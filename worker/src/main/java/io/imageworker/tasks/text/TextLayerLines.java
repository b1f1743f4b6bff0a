package io.imageworker.tasks.text;

import io.imageworker.documents.TextLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * A PDF page's text layer ({@link TextLayer.Text}) as the text task's lines, so that {@code textLayer: auto}
 * answers in the same shape as OCR: one {@link TextLine} per line of the layer, its box around its words'
 * boxes, each word with its box from the layer and its symbols placed by an even split of the word's box
 * (the layer gives word boxes, not glyph boxes). Confidence is 1: the text is the document's own.
 */
public final class TextLayerLines {

    /** Confidence of text taken from the document itself. */
    static final double CONFIDENCE = 1.0;

    private TextLayerLines() {}

    /**
     * The layer's lines in its reading order.
     *
     * @param layer a page's text layer, boxes in the pixels of the page as rendered
     * @return one line per line of the layer; empty for an empty layer
     */
    public static List<TextLine> lines(TextLayer.Text layer) {
        List<TextLine> lines = new ArrayList<>();
        List<TextLayer.Word> current = new ArrayList<>();
        for (TextLayer.Word w : layer.words()) {
            if (!current.isEmpty() && current.get(0).line() != w.line()) {
                lines.add(line(current));
                current = new ArrayList<>();
            }
            current.add(w);
        }
        if (!current.isEmpty()) {
            lines.add(line(current));
        }
        return lines;
    }

    private static TextLine line(List<TextLayer.Word> words) {
        double x0 = Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;
        List<TextWord> out = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (TextLayer.Word w : words) {
            x0 = Math.min(x0, w.left());
            y0 = Math.min(y0, w.top());
            x1 = Math.max(x1, w.left() + w.width());
            y1 = Math.max(y1, w.top() + w.height());
            text.append(text.isEmpty() ? "" : " ").append(w.text());
            out.add(word(w));
        }
        return new TextLine(box(x0, y0, x1, y1), text.toString(), CONFIDENCE, out);
    }

    private static TextWord word(TextLayer.Word w) {
        int[] codePoints = w.text().codePoints().toArray();
        double step = w.width() / (double) Math.max(1, codePoints.length);
        List<TextWord.Symbol> symbols = new ArrayList<>();
        for (int i = 0; i < codePoints.length; i++) {
            double left = w.left() + i * step;
            symbols.add(new TextWord.Symbol(box(left, w.top(), left + step, w.top() + w.height()),
                    new String(Character.toChars(codePoints[i])), CONFIDENCE));
        }
        return new TextWord(box(w.left(), w.top(), w.left() + w.width(), w.top() + w.height()), w.text(), CONFIDENCE, symbols);
    }

    private static Quad box(double x0, double y0, double x1, double y1) {
        return new Quad(new double[] {x0, x1, x1, x0}, new double[] {y0, y0, y1, y1});
    }
}
