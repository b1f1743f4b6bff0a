package io.imageworker.training.metrics;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The degradations the text set applies after drawing (Gaussian blur, JPEG coding at a low quality)
 * and its lossless store (PNG), with the JDK's own codecs so the committed bytes can be regenerated.
 */
final class Degradations {

    private Degradations() {
    }

    /** Gaussian blur with standard deviation {@code sigma} pixels (kernel radius ceil(3 sigma); edges padded by copying). */
    static BufferedImage blur(BufferedImage src, double sigma) {
        int rad = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * rad + 1];
        float sum = 0;
        for (int i = -rad; i <= rad; i++) {
            k[i + rad] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + rad];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage padded = new BufferedImage(w + 2 * rad, h + 2 * rad, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < padded.getHeight(); y++) {
            for (int x = 0; x < padded.getWidth(); x++) {
                padded.setRGB(x, y, src.getRGB(Math.max(0, Math.min(w - 1, x - rad)), Math.max(0, Math.min(h - 1, y - rad))));
            }
        }
        BufferedImage hor = new ConvolveOp(new Kernel(k.length, 1, k), ConvolveOp.EDGE_NO_OP, null).filter(padded, null);
        BufferedImage both = new ConvolveOp(new Kernel(1, k.length, k), ConvolveOp.EDGE_NO_OP, null).filter(hor, null);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(both.getSubimage(rad, rad, w, h), 0, 0, null);
        g.dispose();
        return out;
    }

    /** {@code img} as PNG bytes. */
    static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** Baseline JPEG at {@code quality} percent with the JDK's encoder. */
    static byte[] jpeg(BufferedImage img, int quality) throws IOException {
        ImageWriter writer = null;
        for (var it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext();) {
            ImageWriter candidate = it.next();
            if (candidate.getClass().getName().startsWith("com.sun.imageio")) {
                writer = candidate;
                break;
            }
            writer = writer == null ? candidate : writer;
        }
        if (writer == null) {
            throw new IOException("no JPEG writer");
        }
        ImageWriteParam p = writer.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(quality / 100f);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
