package io.imageworker.imaging;

import com.twelvemonkeys.imageio.metadata.CompoundDirectory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import javax.imageio.stream.ImageInputStream;

/**
 * The EXIF orientation tag (TIFF tag 274): how the stored pixels must be turned to show the picture
 * upright, and turning them. Values, as the EXIF spec words them (where the stored row 0 and column 0
 * go): 1 top/left (as stored), 2 top/right (mirrored), 3 bottom/right (180 degrees), 4 bottom/left
 * (flipped), 5 left/top (transposed), 6 right/top (90 degrees clockwise), 7 right/bottom (transversed),
 * 8 left/bottom (90 degrees counter-clockwise). 5-8 swap width and height.
 *
 * <p>The EXIF/TIFF directory is parsed by TwelveMonkeys' {@link TIFFReader}; only the container is
 * walked here to find it (JPEG APP1 {@code Exif} through {@link JPEGSegmentUtil}, the PNG {@code eXIf}
 * chunk, the WebP {@code EXIF} chunk; a TIFF file is its own directory). A tag that is missing, out of
 * range or unreadable counts as 1: a broken EXIF block should not fail an image that viewers show.
 */
public final class Orientation {

    private Orientation() {}

    /**
     * The orientation (1-8) recorded in {@code bytes}, an encoded image of {@code format} (a reader's
     * format name: jpeg, tiff, png, webp; others have none), or 1.
     */
    public static int read(String format, byte[] bytes) {
        try {
            Directory exif = switch (format) {
                case "jpeg" -> jpegExif(bytes);
                case "tiff" -> tiff(bytes, 0, bytes.length);
                case "png" -> pngExif(bytes);
                case "webp" -> webpExif(bytes);
                default -> null;
            };
            Entry entry = exif == null ? null : firstIfd(exif).getEntryById(TIFF.TAG_ORIENTATION);
            if (entry != null && entry.getValue() instanceof Number n && n.intValue() >= 1 && n.intValue() <= 8) {
                return n.intValue();
            }
        } catch (IOException | RuntimeException e) {
            // unreadable metadata: show the pixels as stored
        }
        return 1;
    }

    private static Directory firstIfd(Directory dir) {
        return dir instanceof CompoundDirectory c && c.directoryCount() > 0 ? c.getDirectory(0) : dir;
    }

    private static Directory jpegExif(byte[] bytes) throws IOException {
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            if (segments.isEmpty()) {
                return null;
            }
            // data() starts after the "Exif\0" identifier; one pad byte follows it before the TIFF header
            try (InputStream data = segments.get(0).data()) {
                byte[] tiff = data.readAllBytes();
                return tiff.length > 1 ? tiff(tiff, 1, tiff.length - 1) : null;
            }
        }
    }

    private static Directory tiff(byte[] bytes, int offset, int length) throws IOException {
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes, offset, length)) {
            return new TIFFReader().read(in);
        }
    }

    /** The PNG's {@code eXIf} chunk (a TIFF header and IFD), found by walking the chunk list. */
    private static Directory pngExif(byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        int p = 8;
        while (p + 8 <= b.length) {
            long length = buf.getInt(p) & 0xffffffffL;
            String type = new String(b, p + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (length > b.length - p - 12) {
                return null;
            }
            if (type.equals("eXIf")) {
                return tiff(b, p + 8, (int) length);
            }
            if (type.equals("IEND")) {
                return null;
            }
            p += 12 + (int) length;
        }
        return null;
    }

    /** The WebP's {@code EXIF} chunk, found by walking the RIFF chunk list (some writers prefix "Exif\0\0"). */
    private static Directory webpExif(byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int p = 12;
        while (p + 8 <= b.length) {
            long length = buf.getInt(p + 4) & 0xffffffffL;
            String type = new String(b, p, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (length > b.length - p - 8) {
                return null;
            }
            if (type.equals("EXIF")) {
                int start = p + 8;
                int len = (int) length;
                if (len >= 6 && Arrays.equals(Arrays.copyOfRange(b, start, start + 6), new byte[] {'E', 'x', 'i', 'f', 0, 0})) {
                    start += 6;
                    len -= 6;
                }
                return tiff(b, start, len);
            }
            p += 8 + (int) length + (int) (length & 1);
        }
        return null;
    }

    /**
     * {@code image} turned as {@code orientation} says (1 returns {@code image} itself). The copy keeps the
     * image's type and colour model (grey, 16-bit, palette, alpha), moving pixels without resampling.
     */
    public static BufferedImage apply(BufferedImage image, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        Raster src = image.getRaster();
        WritableRaster dst = src.createCompatibleWritableRaster(ow, oh);
        Object px = null;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                px = src.getDataElements(src.getMinX() + sx, src.getMinY() + sy, px);
                dst.setDataElements(x, y, px);
            }
        }
        return new BufferedImage(image.getColorModel(), dst, image.isAlphaPremultiplied(), null);
    }
}
