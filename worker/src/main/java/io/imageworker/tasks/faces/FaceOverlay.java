package io.imageworker.tasks.faces;

import io.imageworker.imaging.OverlayLabels;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * The overlay people look at: the photo with each face's box, its six keypoints and its score drawn
 * on it; with attributes also its 68 landmarks (small white dots) and its likeliest expression
 * beside the score.
 *
 * <p>Labels are drawn in the font the worker ships, through {@link OverlayLabels}: where Java cannot
 * draw text, the overlay keeps its boxes, keypoints and landmarks without labels and the worker logs one
 * warning: text on a picture never fails an item.
 */
public final class FaceOverlay {

    /** Box colour (green), keypoint colours in {@link FaceDetection#KEYPOINTS} order (eyes, nose, mouth, ears). */
    static final Color BOX = new Color(0x3CB44B);
    static final Color[] KEYPOINT = {
        new Color(0x4363D8), new Color(0x42D4F4), new Color(0xE6194B), new Color(0xF58231), new Color(0x911EB4),
        new Color(0xF032E6)
    };

    /** Landmark colour. */
    static final Color LANDMARK = Color.WHITE;

    private FaceOverlay() {}

    /** {@link #draw(BufferedImage, List, List)} without attributes. */
    public static BufferedImage draw(BufferedImage rgb, List<FaceDetection> faces) {
        return draw(rgb, faces, null);
    }

    /**
     * A copy of {@code rgb} with the faces drawn; lines and dots scale with the photo (about 1/300 of
     * its longer side, at least 2 px).
     *
     * @param rgb the photo, opaque RGB, of the size the faces' pixel coordinates refer to
     * @param faces faces in photo pixels
     * @param attributes per face (same order, photo pixels), or null; an entry may be null
     */
    public static BufferedImage draw(BufferedImage rgb, List<FaceDetection> faces, List<FaceAttributes.Attributes> attributes) {
        BufferedImage out = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(rgb, 0, 0, null);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            float line = Math.max(2f, Math.max(rgb.getWidth(), rgb.getHeight()) / 300f);
            g.setStroke(new BasicStroke(line));
            Font font = OverlayLabels.font(Math.round(Math.max(10, 6 * line)));
            for (int i = 0; i < faces.size(); i++) {
                FaceDetection f = faces.get(i);
                FaceAttributes.Attributes a = attributes == null ? null : attributes.get(i);
                g.setColor(BOX);
                g.draw(new Rectangle2D.Double(f.x(), f.y(), f.width(), f.height()));
                if (font != null) {
                    String label = String.format(Locale.ROOT, "%.2f", f.score()) + (a == null ? "" : " " + likeliest(a));
                    float ty = (float) (f.y() > font.getSize() + line ? f.y() - line : f.y1() + font.getSize());
                    font = OverlayLabels.draw(g, font, label, (float) f.x(), ty);
                }
                double r = 1.5 * line;
                for (int k = 0; k < f.keypoints().length / 2; k++) {
                    g.setColor(KEYPOINT[k]);
                    g.fill(new Ellipse2D.Double(f.keypointX(k) - r, f.keypointY(k) - r, 2 * r, 2 * r));
                }
                if (a != null) {
                    g.setColor(LANDMARK);
                    double lr = 0.6 * line;
                    for (int p = 0; p < a.landmarks().length; p += 2) {
                        g.fill(new Ellipse2D.Double(a.landmarks()[p] - lr, a.landmarks()[p + 1] - lr, 2 * lr, 2 * lr));
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Whether labels are drawn: false after Java failed to draw text once in this process ({@link OverlayLabels}). */
    public static boolean labelsDrawn() {
        return OverlayLabels.drawn();
    }

    /** The expression with the highest probability. */
    static String likeliest(FaceAttributes.Attributes a) {
        int best = 0;
        for (int c = 1; c < a.expressions().length; c++) {
            best = a.expressions()[c] > a.expressions()[best] ? c : best;
        }
        return FaceAttributes.EXPRESSION_LABELS.get(best);
    }
}
