package io.imageworker.tasks.objects;

import io.imageworker.imaging.OverlayLabels;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * The overlay people look at: the photo with each object's box and its name and score drawn on it,
 * one colour per class. Labels are drawn in the font the worker ships ({@link Fonts#labelFont()});
 * where Java cannot draw text, the boxes stay and the labels go (as in the faces overlay): text on a
 * picture never fails an item.
 */
final class ObjectOverlay {

    /** Distinct colours, by class index modulo their number. */
    static final Color[] COLOURS = {
        new Color(0xE6194B), new Color(0x3CB44B), new Color(0x4363D8), new Color(0xF58231), new Color(0x911EB4),
        new Color(0x42D4F4), new Color(0xF032E6), new Color(0xBFEF45), new Color(0xFFE119), new Color(0x469990)
    };

    private ObjectOverlay() {}

    /**
     * A copy of {@code rgb} with the objects drawn; lines scale with the photo (1/300 of its longer
     * side, at least 2 px).
     *
     * @param rgb the decoded photo, opaque RGB
     * @param objects the objects in {@code rgb}'s pixels
     */
    static BufferedImage draw(BufferedImage rgb, List<FoundObject> objects) {
        BufferedImage out = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(rgb, 0, 0, null);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            float line = Math.max(2f, Math.max(rgb.getWidth(), rgb.getHeight()) / 300f);
            g.setStroke(new BasicStroke(line));
            Font font = OverlayLabels.font(Math.round(Math.max(10, 6 * line)));
            for (FoundObject o : objects) {
                g.setColor(COLOURS[Math.max(0, CocoLabels.NAMES.indexOf(o.name())) % COLOURS.length]);
                g.draw(new Rectangle2D.Double(o.x(), o.y(), o.width(), o.height()));
                if (font != null) {
                    float ty = (float) (o.y() > font.getSize() + line ? o.y() - line : o.y() + o.height() + font.getSize());
                    font = OverlayLabels.draw(g, font, String.format(Locale.ROOT, "%s %.2f", o.name(), o.score()), (float) o.x(), ty);
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }
}
