package io.imageworker.tasks.text;

import io.imageworker.imaging.Preprocessor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The overlay artifact: the input with each block's rectangle (blue) and each line's box (green)
 * drawn on it, lines {@code max(2, shorter side / 300)} pixels wide.
 */
public final class TextOverlay {

    /** Colour of line boxes. */
    static final Color LINE = new Color(0, 200, 60);
    /** Colour of block rectangles. */
    static final Color BLOCK = new Color(30, 110, 255);

    private TextOverlay() {}

    /** A copy of {@code image} (opaque RGB, same size) with {@code blocks} drawn on it. */
    public static BufferedImage draw(BufferedImage image, List<TextBlock> blocks) {
        BufferedImage src = Preprocessor.flatten(image);
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(src, 0, 0, null);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            float width = Math.max(2f, Math.min(src.getWidth(), src.getHeight()) / 300f);
            for (TextBlock b : blocks) {
                g.setColor(BLOCK);
                g.setStroke(new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {3 * width, 2 * width}, 0f));
                g.draw(path(b.quad()));
                g.setColor(LINE);
                g.setStroke(new BasicStroke(width));
                for (TextLine l : b.lines()) {
                    g.draw(path(l.quad()));
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static Path2D path(Quad q) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(q.x()[0], q.y()[0]);
        for (int i = 1; i < 4; i++) {
            p.lineTo(q.x()[i], q.y()[i]);
        }
        p.closePath();
        return p;
    }
}
