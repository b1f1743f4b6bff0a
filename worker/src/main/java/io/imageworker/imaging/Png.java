package io.imageworker.imaging;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** PNG encoding of the artifacts the worker writes (masks, overlays, heatmaps, samples). */
public final class Png {

    private Png() {}

    /**
     * Encodes in memory. {@code ImageIO.write(image, "png", OutputStream)} would buffer through a temp
     * file that ImageIO closes from a JVM shutdown hook, under any encode still running in a graceful stop.
     */
    public static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            if (!ImageIO.write(image, "png", ios)) {
                throw new IllegalStateException("no PNG writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An 8-bit grey image whose pixel values are {@code values} (one byte per pixel, e.g. class ids). */
    public static BufferedImage grey(byte[] values, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, width, height, values);
        return img;
    }

    /** An 8-bit grey image of values in [0, 1]. */
    public static BufferedImage grey(float[] values, int width, int height) {
        byte[] b = new byte[width * height];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Math.round(Math.max(0f, Math.min(1f, values[i])) * 255f);
        }
        return grey(b, width, height);
    }
}
