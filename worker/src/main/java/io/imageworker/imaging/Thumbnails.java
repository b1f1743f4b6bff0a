package io.imageworker.imaging;

import java.awt.image.BufferedImage;

/** Small previews for reports. */
public final class Thumbnails {

    /** A preview: its bytes and their media type. */
    public record Thumbnail(String mediaType, byte[] bytes) {}

    private Thumbnails() {}

    /**
     * A preview of {@code image} that fits in {@code max} x {@code max}: the original file itself
     * when it is already that small, opaque and in a format browsers show (no re-encoding), else a PNG
     * of the flattened pixels. Pass a null {@code original} when {@code image} is not the file's pixels as
     * stored (turned by its EXIF orientation, colour-converted): the preview then shows what the
     * models saw. Images with alpha are always flattened ({@link Preprocessor#flatten}) for the same reason.
     */
    public static Thumbnail of(BufferedImage image, byte[] original, int max) {
        if (original != null && !image.getColorModel().hasAlpha() && image.getWidth() <= max && image.getHeight() <= max) {
            String type = webType(original);
            if (type != null) {
                return new Thumbnail(type, original);
            }
        }
        return new Thumbnail("image/png", png(image, max));
    }

    static String webType(byte[] b) {
        if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8) {
            return "image/jpeg";
        }
        if (b.length > 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
            return "image/gif";
        }
        return null;
    }

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
