package io.imageworker.imaging;

import com.twelvemonkeys.imageio.metadata.CompoundDirectory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.io.IOException;
import javax.imageio.stream.ImageInputStream;

/**
 * What a multi-page TIFF's directories say about each page's geometry, parsed once for the whole file by
 * TwelveMonkeys' {@link TIFFReader} (no pixels read): its orientation tag and its pixel aspect.
 *
 * <p>Fax pages are stored with pixels that are not square: a standard-resolution fax (ITU-T T.4) is
 * 204 x 98 dpi, so its text is stored squashed to half its height, and every fax viewer stretches it
 * back. {@link Page#rowScale} is the factor the rows are scaled by to give square pixels, from the
 * page's {@code XResolution} and {@code YResolution} (tags 282 and 283).
 */
public final class TiffPages {

    /**
     * Pixel aspects closer to square than this are taken as square: fine fax (204 x 196 dpi) is 4% off,
     * and stretching a page by 4% moves nothing a reader sees.
     */
    static final double SQUARE_TOLERANCE = 0.05;
    /** The largest aspect corrected; beyond it the tags are taken as damaged and the pixels shown as stored. */
    static final double MAX_ASPECT = 4;

    /**
     * One page's geometry.
     *
     * @param orientation the orientation tag, 1-8 (1 when missing or invalid; see {@link Orientation})
     * @param rowScale how much taller the page is shown than stored ({@code XResolution / YResolution}), as
     *     stored (before the orientation turns it): 1 for square pixels, about 2.08 for a standard fax,
     *     below 1 where rows are the denser axis
     */
    public record Page(int orientation, double rowScale) {

        /** A page with no tags of interest: shown as stored. */
        static final Page PLAIN = new Page(1, 1);

        /**
         * The stored {@code width} x {@code height} as shown: rows scaled by {@link #rowScale} (or columns by its
         * inverse where it is below 1, so pixels are only ever added), then turned by the orientation.
         *
         * @return {width, height} in pixels as a viewer shows the page
         */
        public int[] shown(int width, int height) {
            int w = rowScale < 1 ? (int) Math.round(width / rowScale) : width;
            int h = rowScale > 1 ? (int) Math.round(height * rowScale) : height;
            return orientation >= 5 ? new int[] {h, w} : new int[] {w, h};
        }
    }

    private TiffPages() {}

    /**
     * Every page's geometry, in page order; an empty array when the directories cannot be read (the pages are
     * then shown as stored).
     */
    public static Page[] read(byte[] bytes) {
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            Directory dir = new TIFFReader().read(in);
            int n = dir instanceof CompoundDirectory c ? c.directoryCount() : 1;
            Page[] out = new Page[n];
            for (int i = 0; i < n; i++) {
                Directory page = dir instanceof CompoundDirectory c ? c.getDirectory(i) : dir;
                out[i] = new Page(orientation(page), rowScale(page));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return new Page[0];
        }
    }

    private static int orientation(Directory page) {
        Entry entry = page.getEntryById(TIFF.TAG_ORIENTATION);
        return entry != null && entry.getValue() instanceof Number v && v.intValue() >= 1 && v.intValue() <= 8 ? v.intValue() : 1;
    }

    private static double rowScale(Directory page) {
        double x = resolution(page.getEntryById(TIFF.TAG_X_RESOLUTION));
        double y = resolution(page.getEntryById(TIFF.TAG_Y_RESOLUTION));
        if (!(x > 0) || !(y > 0)) {
            return 1;
        }
        double scale = x / y;
        if (Math.abs(scale - 1) <= SQUARE_TOLERANCE || scale > MAX_ASPECT || scale < 1 / MAX_ASPECT) {
            return 1;
        }
        return scale;
    }

    private static double resolution(Entry entry) {
        return entry != null && entry.getValue() instanceof Number v ? v.doubleValue() : Double.NaN;
    }
}
