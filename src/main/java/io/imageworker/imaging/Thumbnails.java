package io.imageworker.imaging;

import java.awt.image.BufferedImage;

/** Small previews for reports. */
public final class Thumbnails {

    private Thumbnails() {}

    /** {@code image} scaled down to fit in {@code max} x {@code max} (never enlarged: reports scale with CSS), as PNG. */
    public static byte[] png(BufferedImage image, int max) {
        int w = image.getWidth();
        int h = image.getHeight();
        double scale = Math.min(1.0, (double) max / Math.max(w, h));
        int tw = Math.max(1, (int) Math.round(w * scale));
        int th = Math.max(1, (int) Math.round(h * scale));
        return Png.encode(Preprocessor.resize(Preprocessor.flatten(image), tw, th));
    }
}
