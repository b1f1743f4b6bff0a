package io.imageworker.imaging;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG, JPEG, GIF, BMP, TIFF and WebP into the pixels a viewer shows, header first: the
 * dimensions are read and checked against the pixel limit before a single pixel buffer is
 * allocated, so a decompression bomb (a tiny file claiming 100k x 100k pixels) costs nothing.
 *
 * <p>What a viewer shows, not what the file stores:
 * <ul>
 *   <li>JPEG, TIFF and WebP go through the TwelveMonkeys readers, which convert CMYK, YCCK,
 *       Adobe-inverted CMYK and ICC-profiled images to sRGB; any image still in a non-sRGB ICC colour
 *       space afterwards is converted here. The JDK's readers serve PNG, GIF and BMP; the PNG reader
 *       does not read an {@code iCCP} profile, so such a PNG's pixels are taken as sRGB.</li>
 *   <li>The EXIF orientation (JPEG APP1, TIFF IFD0, PNG {@code eXIf}, WebP {@code EXIF}; read by
 *       {@link Orientation}) is applied: all 8 values, so width and height are swapped for 5-8.</li>
 * </ul>
 *
 * <p>The TwelveMonkeys readers are chosen explicitly rather than found through ImageIO's registry,
 * whose plugin scan depends on the thread's context class loader (different in a Quarkus fast-jar,
 * in {@code @QuarkusTest} and in plain tests); {@link #readerFor} names the reader used for each
 * format, so a test can prove which one decodes.
 *
 * <p>Errors are {@link ImageException}s with the codes {@code not-an-image}, {@code unsupported-format}
 * (recognised by magic bytes but not decodable here: HEIF/AVIF, JPEG XL, JPEG 2000),
 * {@code too-many-pixels} and {@code corrupt-image}. Thread-safe: each call makes its own reader.
 */
public final class ImageDecoder {

    /**
     * The result of a decode.
     *
     * @param image the pixels in the orientation and colours a viewer shows (sRGB, or the JDK's grey)
     * @param format the reader's format name, lower case ({@code jpeg}, {@code png}, {@code tiff}, {@code webp}, ...)
     * @param orientation the EXIF orientation that was applied, 1-8 (1 when the file has none)
     * @param converted whether colours were converted to sRGB (CMYK, YCCK, an ICC profile)
     * @param subsampling the whole factor the file was read at (1: every pixel; n: every n-th pixel
     *     of every n-th row, so decoded (x, y) is (n x, n y) of the file)
     * @param width the file's width in pixels as a viewer shows it (after orientation), whatever the subsampling
     * @param height the file's height in pixels as a viewer shows it
     */
    public record Decoded(BufferedImage image, String format, int orientation, boolean converted, int subsampling,
            int width, int height) {

        /** Whether {@link #image()} is the file's pixels as stored: neither turned nor colour-converted. */
        public boolean asStored() {
            return orientation == 1 && !converted;
        }
    }

    /**
     * The readers tried, in order, found once: TwelveMonkeys' JPEG, TIFF and WebP, then the JDK's PNG,
     * GIF and BMP. A fixed list, so no decode walks ImageIO's registry.
     */
    private static final List<ImageReaderSpi> READERS = List.of(register(new JPEGImageReaderSpi()),
            register(new TIFFImageReaderSpi()), register(new WebPImageReaderSpi()), jdk("png"), jdk("gif"), jdk("bmp"));

    private final long maxPixels;

    /** @param maxPixels largest width x height accepted */
    public ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /**
     * Registers {@code spi} in ImageIO's default registry: the TwelveMonkeys JPEG provider looks up the
     * JDK's reader it delegates to in {@code onRegistration}, and cannot make a reader before that.
     */
    private static ImageReaderSpi register(ImageReaderSpi spi) {
        IIORegistry.getDefaultInstance().registerServiceProvider(spi, ImageReaderSpi.class);
        return spi;
    }

    /** The JDK's own reader of {@code format}. */
    private static ImageReaderSpi jdk(String format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            if (r.getClass().getName().startsWith("com.sun.imageio.")) {
                return r.getOriginatingProvider();
            }
        }
        throw new IllegalStateException("the JDK has no " + format + " reader");
    }

    /** Decodes the first frame of {@code bytes} into the pixels a viewer shows. */
    public BufferedImage decode(byte[] bytes) throws ImageException {
        return decodeDetailed(bytes).image();
    }

    /** Decodes the first frame of {@code bytes} at full resolution, saying what was done to its pixels. */
    public Decoded decodeDetailed(byte[] bytes) throws ImageException {
        return decodeDetailed(bytes, 0);
    }

    /**
     * The shorter side is kept at least {@code neededSide} divided by this, so that an image of
     * extreme shape (a 4000x64 subtitle strip, a till roll) is not thinned across: its text runs
     * along the long side and is only as high as the short side allows.
     */
    public static final int SHORT_SIDE_FRACTION = 4;

    /**
     * The whole factor an image of {@code width} x {@code height} pixels is read at for a task that
     * uses {@code neededSide} pixels of its longest side: the largest that keeps at least that many,
     * and at least {@code neededSide / }{@value #SHORT_SIDE_FRACTION} of the shorter side (a
     * 4000x96 strip for 1920 px is read whole, not at 2000x48); 1 when {@code neededSide} is 0 or
     * less: every pixel.
     */
    public static int subsampling(long width, long height, int neededSide) {
        if (neededSide <= 0) {
            return 1;
        }
        long alongLong = Math.max(width, height) / neededSide;
        long alongShort = Math.min(width, height) * SHORT_SIDE_FRACTION / neededSide;
        return (int) Math.max(1, Math.min(alongLong, alongShort));
    }

    /**
     * Every {@code factor}-th pixel of {@code image} in both directions, from (0, 0): what reading the
     * file subsampled by that factor gives, for a second task that needs fewer pixels than the one
     * the file was read for. {@code image} itself when {@code factor} is 1.
     */
    public static BufferedImage subsample(BufferedImage image, int factor) {
        if (factor <= 1) {
            return image;
        }
        int w = (image.getWidth() + factor - 1) / factor;
        int h = (image.getHeight() + factor - 1) / factor;
        ColorModel cm = image.getColorModel();
        if (!cm.hasAlpha() && isJdkGray(cm.getColorSpace()) && cm.getNumComponents() == 1) {
            // getRGB reads the JDK's grey space as linear light and would brighten every grey (128 reads 188):
            // copy the samples, as drawing the image does
            BufferedImage grey = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            java.awt.image.Raster in = image.getRaster();
            java.awt.image.WritableRaster out = grey.getRaster();
            float scale = 255f / ((1 << cm.getComponentSize(0)) - 1);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out.setSample(x, y, 0, Math.round(in.getSample(x * factor, y * factor, 0) * scale));
                }
            }
            return grey;
        }
        BufferedImage out = new BufferedImage(w, h, cm.hasAlpha() ? BufferedImage.TYPE_INT_ARGB
                : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, image.getRGB(x * factor, y * factor));
            }
        }
        return out;
    }

    /**
     * Decodes the first frame of {@code bytes}, read subsampled when it is much larger than a task
     * needs: by the largest whole factor n that keeps the longer side at least {@code neededSide}
     * (and the shorter a quarter of it, see {@link #subsampling}) (a 4032x3024 photo for a task that needs 1280 px is read at n = 3, 1344x1008, and a twelfth of
     * the memory). The reader skips the other pixels as it decodes, so the full image is never held.
     * The pixel limit is checked on the file's own size either way.
     *
     * @param neededSide the longest side the task uses, in pixels; 0 reads every pixel
     */
    public Decoded decodeDetailed(byte[] bytes, int neededSide) throws ImageException {
        if (bytes.length == 0) {
            throw new ImageException("not-an-image", "the object is empty (0 bytes)");
        }
        String unsupported = unsupportedFormat(bytes);
        if (unsupported != null) {
            throw new ImageException("unsupported-format",
                    unsupported + " images are not supported (PNG, JPEG, GIF, BMP, TIFF and WebP are)");
        }
        // In memory: ImageIO.createImageInputStream would spool the bytes to a temp file per image, and
        // ImageIO closes those files from a JVM shutdown hook, under decodes still running in a graceful
        // stop (a sound image then failed as corrupt-image while the worker drained on SIGTERM).
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            ImageReader reader = readerFor(in);
            if (reader == null) {
                throw new ImageException("not-an-image", "not a PNG, JPEG, GIF, BMP, TIFF or WebP image");
            }
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw new ImageException("corrupt-image", "image header gives " + width + "x" + height + " pixels");
                }
                // Orientation only swaps the sides: the product, and so this check, is the same either way.
                if (width * height > maxPixels) {
                    throw new ImageException("too-many-pixels", "image is " + width + "x" + height + " = "
                            + (width * height) + " pixels, more than the limit of " + maxPixels);
                }
                String format = reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
                ColorSpace stored = storedColorSpace(reader);
                Warnings warnings = new Warnings();
                reader.addIIOReadWarningListener(warnings);
                int subsampling = subsampling(width, height, neededSide);
                javax.imageio.ImageReadParam param = reader.getDefaultReadParam();
                if (subsampling > 1) {
                    param.setSourceSubsampling(subsampling, subsampling, 0, 0);
                }
                BufferedImage image = reader.read(0, param);
                if (warnings.first != null) {
                    // The JPEG reader fills a truncated image with grey and only warns: refuse it.
                    throw new ImageException("corrupt-image", "image data is damaged or truncated: " + warnings.first);
                }
                if (format.equals("jpeg") && image.getColorModel().hasAlpha()) {
                    // Four components with neither an Adobe marker nor known component ids: CMYK or a non-standard
                    // RGBA/YCbCrA, and no reader can tell which. Guessing would give a wrong picture.
                    throw new ImageException("unsupported-format", "a four-component JPEG without an Adobe (APP14) marker:"
                            + " its colour space is ambiguous (CMYK or RGBA); save it with an Adobe marker or as RGB");
                }
                boolean converted = stored != null && stored.getType() != ColorSpace.TYPE_RGB && stored.getType() != ColorSpace.TYPE_GRAY
                        || stored instanceof ICC_ColorSpace && !stored.isCS_sRGB() && !isJdkGray(stored);
                BufferedImage srgb = toSrgb(image);
                converted |= srgb != image;
                int orientation = Orientation.read(format, bytes);
                boolean swapped = orientation >= 5; // 5-8 turn the image by a quarter: the sides swap
                return new Decoded(Orientation.apply(srgb, orientation), format, orientation, converted, subsampling,
                        (int) (swapped ? height : width), (int) (swapped ? width : height));
            } finally {
                reader.dispose();
            }
        } catch (ImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new ImageException("corrupt-image", "image data is damaged or truncated: " + msg, e);
        }
    }

    /**
     * A new reader for the image in {@code in} (left at its start): a TwelveMonkeys reader for JPEG, TIFF
     * and WebP, else the JDK's (PNG, GIF, BMP); null when none recognises the bytes.
     */
    ImageReader readerFor(ImageInputStream in) throws IOException {
        for (ImageReaderSpi spi : READERS) {
            if (spi.canDecodeInput(in)) {
                return spi.createReaderInstance(null);
            }
        }
        return null;
    }

    /** The colour space the file stores its pixels in (CMYK for a CMYK JPEG), or null when the reader cannot say. */
    private static ColorSpace storedColorSpace(ImageReader reader) {
        try {
            ImageTypeSpecifier raw = reader.getRawImageType(0);
            return raw == null ? null : raw.getColorModel().getColorSpace();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * {@code image} itself when its colours are sRGB (or the JDK's plain grey, which Java2D draws as
     * display grey), else a copy converted to sRGB through its ICC profile, keeping alpha.
     */
    static BufferedImage toSrgb(BufferedImage image) {
        ColorSpace cs = image.getColorModel().getColorSpace();
        if (cs.isCS_sRGB() || isJdkGray(cs) || !(cs instanceof ICC_ColorSpace)) {
            return image;
        }
        ColorModel cm = image.getColorModel();
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(),
                cm.hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        new ColorConvertOp(null).filter(image, out);
        return out;
    }

    private static boolean isJdkGray(ColorSpace cs) {
        return cs == ColorSpace.getInstance(ColorSpace.CS_GRAY);
    }

    /** Names formats recognised by their magic bytes that no reader here decodes. */
    static String unsupportedFormat(byte[] b) {
        if (b.length >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            return "HEIF/AVIF";
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0x0A
                || b.length >= 12 && startsWith(b, 0, 0, 0, 0x0C, 'J', 'X', 'L', ' ')) {
            return "JPEG XL";
        }
        if (b.length >= 12 && startsWith(b, 0, 0, 0, 0x0C, 'j', 'P', ' ', ' ')
                || b.length >= 4 && startsWith(b, 0xFF, 0x4F, 0xFF, 0x51)) {
            return "JPEG 2000";
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int... magic) {
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    static boolean isAboutColourProfile(String warning) {
        String w = warning.toLowerCase(java.util.Locale.ROOT);
        return w.contains("icc") || w.contains("color profile") || w.contains("colour profile");
    }

    /** Keeps the first warning of a read that is about damaged data (colour-profile repairs are not). */
    static final class Warnings implements IIOReadWarningListener {
        String first;

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            // TwelveMonkeys warns about colour profiles it repairs or replaces (e.g. a CMYK JPEG without one):
            // the pixels are whole. Every other warning is about damaged data.
            if (first == null && !isAboutColourProfile(warning)) {
                first = warning;
            }
        }
    }
}
