package io.imageworker.imaging;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The frames of a multi-frame image (the pages of a multi-page TIFF, the frames of a GIF), each
 * decoded on its own, header first: the same readers and checks as {@link ImageDecoder} (the
 * TwelveMonkeys TIFF reader, so 1-bit CCITT G3/G4 fax pages and LZW, Deflate, PackBits and JPEG
 * compression; the JDK's GIF reader), the frame's size checked against the pixel limit before its
 * pixels are allocated, a damaged frame refused rather than returned half grey, colours converted
 * to sRGB.
 *
 * <p>A GIF frame is the picture the GIF shows at that frame, the logical screen with the frame drawn
 * over what the frames before it left ({@link GifCanvas}), not the frame's own rectangle. A TIFF page
 * is cleaned of isolated specks when it is bilevel (a fax page: {@link Despeckle}), and
 * is shown with square pixels (a standard-resolution fax page, 204 x 98 dpi, has its rows scaled by
 * 2.08, as fax viewers show it: {@link TiffPages}) and turned as its own orientation tag says
 * ({@link Orientation}), its width and height swapped for 5-8. Sizes and the pixel limit are those of
 * the page as shown. Only the file's bytes and one frame's
 * pixels (for a GIF, the canvas and the picture) are held at a time. Not thread-safe; close it to
 * release the reader.
 */
public final class ImageFrames implements AutoCloseable {

    private final ImageInputStream in;
    private final ImageReader reader;
    private final long maxPixels;
    private final String format;
    /** The GIF's logical screen, or null for other formats. */
    private final int[] screen;
    private final GifCanvas gif;
    /** Each TIFF page's orientation and pixel aspect, or empty. */
    private final TiffPages.Page[] tiffPages;

    private ImageFrames(ImageInputStream in, ImageReader reader, long maxPixels, byte[] bytes) throws IOException {
        this.in = in;
        this.reader = reader;
        this.maxPixels = maxPixels;
        this.format = reader.getFormatName().toLowerCase(Locale.ROOT);
        this.tiffPages = format.equals("tiff") ? TiffPages.read(bytes) : new TiffPages.Page[0];
        if (format.equals("gif")) {
            int[] s = GifCanvas.screen(reader);
            this.screen = s != null ? s : new int[] {reader.getWidth(0), reader.getHeight(0)};
            this.gif = new GifCanvas(reader, screen[0], screen[1], maxPixels);
        } else {
            this.screen = null;
            this.gif = null;
        }
    }

    /**
     * Opens the frames of {@code bytes}, reading nothing but the file's start.
     *
     * @param maxPixels the largest width x height of one frame accepted
     * @throws ImageException {@code not-an-image} when no reader recognises the bytes, {@code corrupt-image} when
     *     the file's start cannot be read
     */
    public static ImageFrames open(byte[] bytes, long maxPixels) throws ImageException {
        ImageInputStream in = new ByteArrayImageInputStream(bytes);
        try {
            ImageReader reader = new ImageDecoder(maxPixels).readerFor(in);
            if (reader == null) {
                in.close();
                throw new ImageException("not-an-image", "not a PNG, JPEG, GIF, BMP, TIFF or WebP image");
            }
            // not seekForwardOnly: frames are read in any order the caller asks; metadata is needed for sizes
            reader.setInput(in, false, false);
            return new ImageFrames(in, reader, maxPixels, bytes);
        } catch (IOException | RuntimeException e) {
            closeQuietly(in);
            throw new ImageException("corrupt-image", "image data is damaged or truncated: " + message(e), e);
        }
    }

    /** The reader's format name, lower case ({@code tiff}, {@code gif}, ...). */
    public String format() {
        return format;
    }

    /**
     * The number of frames, found by walking the file's frame headers (TIFF IFDs, GIF image descriptors) without
     * decoding pixels.
     *
     * @throws ImageException {@code corrupt-image} when the chain of frames is damaged
     */
    public int count() throws ImageException {
        try {
            int n = reader.getNumImages(true);
            if (n <= 0) {
                throw new ImageException("corrupt-image", "the file holds no frame");
            }
            return n;
        } catch (IOException | RuntimeException e) {
            throw new ImageException("corrupt-image", "image data is damaged or truncated: " + message(e), e);
        }
    }

    /**
     * The width and height of frame {@code index} (0-based) from the headers: the frame's as shown (a TIFF
     * page's with square pixels and turned upright), or for a GIF its logical screen's.
     *
     * @throws ImageException {@code corrupt-image} when the header is damaged or gives no pixels
     */
    public int[] size(int index) throws ImageException {
        try {
            int w = reader.getWidth(index);
            int h = reader.getHeight(index);
            if (screen != null && w > 0 && h > 0) {
                w = screen[0];
                h = screen[1];
            } else if (w > 0 && h > 0) {
                int[] shown = tiffPage(index).shown(w, h);
                w = shown[0];
                h = shown[1];
            }
            if (w <= 0 || h <= 0) {
                throw new ImageException("corrupt-image", "frame header gives " + w + "x" + h + " pixels");
            }
            return new int[] {w, h};
        } catch (IOException | RuntimeException e) {
            throw new ImageException("corrupt-image", "image data is damaged or truncated: " + message(e), e);
        }
    }

    /**
     * Decodes frame {@code index} (0-based) into sRGB (or the JDK's grey) pixels.
     *
     * @throws ImageException {@code too-many-pixels} when the frame is over the limit (checked before
     *     decoding), {@code corrupt-image} when its data is damaged, truncated or only half readable
     */
    public BufferedImage decode(int index) throws ImageException {
        int[] size = size(index);
        long pixels = (long) size[0] * size[1];
        if (pixels > maxPixels) {
            throw new ImageException("too-many-pixels", "frame is " + size[0] + "x" + size[1] + " = " + pixels
                    + " pixels, more than the limit of " + maxPixels);
        }
        ImageDecoder.Warnings warnings = new ImageDecoder.Warnings();
        reader.addIIOReadWarningListener(warnings);
        try {
            BufferedImage image = gif != null ? gif.picture(index) : reader.read(index);
            if (warnings.first != null) {
                throw new ImageException("corrupt-image", "image data is damaged or truncated: " + warnings.first);
            }
            TiffPages.Page page = tiffPage(index);
            if (format.equals("tiff")) {
                // faxes and bilevel scans: line noise and dust read as dots (Despeckle); not other formats' 1-bit
                // pictures, whose single pixels (a QR code drawn a pixel a module) are content
                Despeckle.specks(image);
            }
            return Orientation.apply(square(ImageDecoder.toSrgb(image), page.rowScale()), page.orientation());
        } catch (IOException | RuntimeException e) {
            throw new ImageException("corrupt-image", "image data is damaged or truncated: " + message(e), e);
        } finally {
            reader.removeIIOReadWarningListener(warnings);
        }
    }

    /** The TIFF page's geometry; shown as stored when it has no tags or the file is not a TIFF. */
    private TiffPages.Page tiffPage(int index) {
        return index < tiffPages.length ? tiffPages[index] : TiffPages.Page.PLAIN;
    }

    /**
     * {@code image} with its rows scaled by {@code rowScale} (its columns by the inverse below 1), bilinear, in
     * grey for grey and 1-bit pages (a fax page stays small: one byte a pixel) and RGB otherwise.
     */
    static BufferedImage square(BufferedImage image, double rowScale) {
        if (rowScale == 1) {
            return image;
        }
        int w = rowScale < 1 ? (int) Math.round(image.getWidth() / rowScale) : image.getWidth();
        int h = rowScale > 1 ? (int) Math.round(image.getHeight() * rowScale) : image.getHeight();
        boolean grey = image.getColorModel().getNumColorComponents() == 1;
        BufferedImage out = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY
                : image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    @Override
    public void close() {
        reader.dispose();
        closeQuietly(in);
    }

    private static void closeQuietly(ImageInputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // bytes in memory: nothing to release
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
