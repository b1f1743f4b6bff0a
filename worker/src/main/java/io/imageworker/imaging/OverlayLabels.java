package io.imageworker.imaging;

import java.awt.Font;
import java.awt.Graphics2D;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The text on overlays (face and object labels) in the shipped font ({@link Fonts#labelFont()}), drawn
 * only while Java can draw text here: the first failure (no libfreetype, no font fontconfig finds) turns
 * labels off for the process with one warning, and overlays keep their boxes and points.
 */
public final class OverlayLabels {

    private static final Logger LOG = Logger.getLogger(OverlayLabels.class);

    /** Set at the first failure to draw text: later overlays skip their labels (the cause does not go away). */
    private static final AtomicBoolean OFF = new AtomicBoolean();

    private OverlayLabels() {}

    /** Whether labels are drawn: false after Java failed to draw text once in this process. */
    public static boolean drawn() {
        return !OFF.get();
    }

    /**
     * The shipped font at {@code size} px.
     *
     * @return the font, or null when labels are off (or go off now)
     */
    public static Font font(int size) {
        if (OFF.get()) {
            return null;
        }
        try {
            return Fonts.labelFont().deriveFont((float) size);
        } catch (Exception | LinkageError | InternalError | java.awt.AWTError e) {
            off(e);
            return null;
        }
    }

    /**
     * Draws {@code text} with its baseline at ({@code x}, {@code y}) in {@code g}'s pixels.
     *
     * @return {@code font}, or null when text cannot be drawn (labels go off)
     */
    public static Font draw(Graphics2D g, Font font, String text, float x, float y) {
        try {
            g.setFont(font);
            g.drawString(text, x, y);
            return font;
        } catch (Exception | LinkageError | InternalError | java.awt.AWTError e) {
            off(e);
            return null;
        }
    }

    private static void off(Throwable e) {
        if (OFF.compareAndSet(false, true)) {
            List<String> setup = Fonts.configured();
            LOG.warnf(e, "overlay labels not drawn: Java cannot draw text here (%s); overlays keep their boxes and points."
                    + " On Linux Java's font manager needs libfreetype and a font that fontconfig finds (or, without"
                    + " libfontconfig, a JDK font configuration file). Font set-up at start: %s",
                    e, setup.isEmpty() ? "none (io.imageworker.Main did not run)" : String.join("; ", setup));
        }
    }
}
