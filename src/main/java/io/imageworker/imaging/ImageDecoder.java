package io.imageworker.imaging;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG, JPEG, GIF, BMP and TIFF with the JDK's readers, header first: the dimensions are read and
 * checked against the pixel limit before a single pixel buffer is allocated, so a decompression
 * bomb (a tiny file claiming 100k x 100k pixels) costs nothing. Formats the JDK cannot read are
 * named in the error rather than reported as garbage.
 */
public final class ImageDecoder {

    private final long maxPixels;

    /** @param maxPixels largest width x height accepted */
    public ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /** Decodes the first frame of {@code bytes}. */
    public BufferedImage decode(byte[] bytes) throws ImageException {
        if (bytes.length == 0) {
            throw new ImageException("not-an-image", "the object is empty (0 bytes)");
        }
        String unsupported = unsupportedFormat(bytes);
        if (unsupported != null) {
            throw new ImageException("unsupported-format", unsupported + " images are not supported (PNG, JPEG, GIF, BMP and TIFF are)");
        }
        // In memory: ImageIO.createImageInputStream would spool the bytes to a temp file per image, and
        // ImageIO closes those files from a JVM shutdown hook, under decodes still running in a graceful
        // stop (a sound image then failed as corrupt-image while the worker drained on SIGTERM).
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageException("not-an-image", "not a PNG, JPEG, GIF, BMP or TIFF image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw new ImageException("corrupt-image", "image header gives " + width + "x" + height + " pixels");
                }
                if (width * height > maxPixels) {
                    throw new ImageException("too-many-pixels", "image is " + width + "x" + height + " = "
                            + (width * height) + " pixels, more than the limit of " + maxPixels);
                }
                Warnings warnings = new Warnings();
                reader.addIIOReadWarningListener(warnings);
                BufferedImage image = reader.read(0);
                if (warnings.first != null) {
                    // The JPEG reader fills a truncated image with grey and only warns: refuse it.
                    throw new ImageException("corrupt-image", "image data is damaged or truncated: " + warnings.first);
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (ImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (msg.contains("Unsupported Image Type")) {
                throw new ImageException("unsupported-format",
                        "the JPEG's colour space (CMYK or YCCK) is not supported; save it as RGB", e);
            }
            throw new ImageException("corrupt-image", "image data is damaged or truncated: " + msg, e);
        }
    }

    /** Names formats recognised by their magic bytes that the JDK has no reader for. */
    static String unsupportedFormat(byte[] b) {
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E'
                && b[10] == 'B' && b[11] == 'P') {
            return "WebP";
        }
        if (b.length >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            return "HEIF/AVIF";
        }
        return null;
    }

    private static final class Warnings implements IIOReadWarningListener {
        String first;

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            if (first == null) {
                first = warning;
            }
        }
    }
}
