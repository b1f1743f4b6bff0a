package io.imageworker.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.WritableRaster;

/**
 * Removes speckle from bilevel (1-bit) images: faxes and bilevel scans, where line noise and dust leave
 * isolated ink pixels on the paper.
 *
 * <p>Why: OCR reads such dots beside a word as {@code .}, {@code '} or {@code :}. On the fax pages of
 * the documents study (0.2% of pixels flipped, as {@code DocumentSet} draws them), most of our remaining
 * errors were such dots ({@code docs/tasks/documents.md}). The rule is the noise filter of unpaper and
 * Leptonica's {@code pixSelectBySize} at their smallest: an ink component (8-connected) of one or two
 * pixels is made paper. Nothing else changes: a speck that touches a glyph stays part of it, and a mark of
 * three or more pixels stays, so a full stop survives at fine resolution (204 x 196 dpi, where an 11 pt
 * stop is about 3 x 3 pixels) and at standard resolution (204 x 98 dpi) down to about 8 pt (2.5 x 1.2
 * pixels: smaller stops can be lost there). Removing single pixels only left random speckle's pairs
 * (about {@code 8d} of the specks at density {@code d}), and they were still read as stops.
 */
public final class Despeckle {

    private Despeckle() {}

    /** Whether {@code image} is bilevel: one bit a pixel, two colours. */
    public static boolean isBilevel(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        return cm.getPixelSize() == 1 && image.getRaster().getNumBands() == 1;
    }

    /**
     * {@code image} with its specks, ink components (8-connected) of one or two pixels, made paper, in place,
     * when it is bilevel; any other image is returned untouched. Ink is the darker of the two colours (faxes
     * store black as 0 or as 1). Five rows of the original are held at a time.
     *
     * @return {@code image}
     */
    public static BufferedImage specks(BufferedImage image) {
        if (!isBilevel(image)) {
            return image;
        }
        ColorModel cm = image.getColorModel();
        int ink = luminance(cm.getRGB(0)) <= luminance(cm.getRGB(1)) ? 0 : 1;
        int w = image.getWidth();
        int h = image.getHeight();
        WritableRaster raster = image.getRaster();
        // rows y-2 .. y+2 as they were: a pixel's neighbour's neighbours are two rows away
        Rows rows = new Rows(raster, w, h, ink);
        for (int y = 0; y < h; y++) {
            rows.load(y + 2);
            for (int x = 0; x < w; x++) {
                if (rows.ink(x, y) && isSpeck(rows, x, y)) {
                    raster.setSample(x, y, 0, 1 - ink);
                }
            }
        }
        return image;
    }

    /** Whether the ink pixel at (x, y) is alone, or one of two ink pixels touching only each other. */
    private static boolean isSpeck(Rows rows, int x, int y) {
        int n = neighbours(rows, x, y);
        if (n != 1) {
            return n == 0;
        }
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                if ((dx != 0 || dy != 0) && rows.ink(x + dx, y + dy)) {
                    return neighbours(rows, x + dx, y + dy) == 1;
                }
            }
        }
        return false;
    }

    private static int neighbours(Rows rows, int x, int y) {
        int n = 0;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                if ((dx != 0 || dy != 0) && rows.ink(x + dx, y + dy)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** A ring of five original rows; outside the image is paper. */
    private static final class Rows {
        private final int[][] ring = new int[5][];
        private final WritableRaster raster;
        private final int w;
        private final int h;
        private final int ink;

        Rows(WritableRaster raster, int w, int h, int ink) {
            this.raster = raster;
            this.w = w;
            this.h = h;
            this.ink = ink;
            for (int i = 0; i < 5; i++) {
                ring[i] = new int[w];
            }
            load(0);
            load(1);
        }

        /** Reads row {@code y} before any pixel of it is changed (rows are changed only behind the scan). */
        void load(int y) {
            if (y < h) {
                raster.getSamples(0, y, w, 1, 0, ring[y % 5]);
            }
        }

        boolean ink(int x, int y) {
            return x >= 0 && x < w && y >= 0 && y < h && ring[y % 5][x] == ink;
        }
    }

    private static int luminance(int rgb) {
        return 299 * ((rgb >> 16) & 0xff) + 587 * ((rgb >> 8) & 0xff) + 114 * (rgb & 0xff);
    }
}
