package io.imageworker.imaging;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;

/**
 * Turns a decoded image of any type (grey, palette, 16-bit, alpha, RGB) into the tensor a model
 * takes: flattened (transparency by the rule of {@link #flatten}), converted to grey or RGB, resized, scaled to [0, 1], inverted when
 * the model wants light ink on a dark background and the image is mostly light, then normalised.
 */
public final class Preprocessor {

    /** Input spec, copied from a model card so that imaging does not depend on the models package. */
    public record Spec(int width, int height, int channels, float[] mean, float[] std, boolean lightOnDark, boolean bgr) {

        /** A spec with channels in RGB order. */
        public Spec(int width, int height, int channels, float[] mean, float[] std, boolean lightOnDark) {
            this(width, height, channels, mean, std, lightOnDark, false);
        }

        /** This spec at another size (models that take any size: detectors, recognizers). */
        public Spec withSize(int newWidth, int newHeight) {
            return new Spec(newWidth, newHeight, channels, mean, std, lightOnDark, bgr);
        }
    }

    private Preprocessor() {}

    /** The model input for {@code image}. */
    public static ImageTensor toTensor(BufferedImage image, Spec spec) {
        BufferedImage sized = resize(flatten(image), spec.width(), spec.height());
        int w = spec.width();
        int h = spec.height();
        int plane = w * h;
        float[] out = new float[spec.channels() * plane];
        int[] rgb = sized.getRGB(0, 0, w, h, null, 0, w);
        for (int p = 0; p < plane; p++) {
            int px = rgb[p];
            float r = ((px >> 16) & 0xff) / 255f;
            float g = ((px >> 8) & 0xff) / 255f;
            float b = (px & 0xff) / 255f;
            if (spec.channels() == 1) {
                out[p] = 0.299f * r + 0.587f * g + 0.114f * b;
            } else {
                out[p] = spec.bgr() ? b : r;
                out[plane + p] = g;
                out[2 * plane + p] = spec.bgr() ? r : b;
            }
        }
        if (spec.lightOnDark() && borderMean(out, w, h) > 0.5f) {
            for (int i = 0; i < out.length; i++) {
                out[i] = 1f - out[i];
            }
        }
        for (int c = 0; c < spec.channels(); c++) {
            float mean = spec.mean()[Math.min(c, spec.mean().length - 1)];
            float std = spec.std()[Math.min(c, spec.std().length - 1)];
            for (int p = c * plane; p < (c + 1) * plane; p++) {
                out[p] = (out[p] - mean) / std;
            }
        }
        return new ImageTensor(out, spec.channels(), h, w);
    }

    /**
     * The input of a single-digit classifier: for a grey, light-on-dark model (MNIST's kind), the
     * digit is framed as MNIST framed its digits ({@link DigitFraming}: ground and uneven light
     * removed, levels stretched, the ink box fitted into 20 of 28 pixels, centred by mass) after the
     * same flattening and polarity rule as {@link #toTensor}. A picture that is not one object on a
     * clean ground, and any other model's input, is exactly {@link #toTensor}'s.
     */
    public static ImageTensor toDigitTensor(BufferedImage image, Spec spec) {
        if (!spec.lightOnDark() || spec.channels() != 1 || spec.width() != spec.height()) {
            return toTensor(image, spec);
        }
        BufferedImage rgb = shrink(flatten(image), DIGIT_WORK_SIDE);
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[] px = rgb.getRGB(0, 0, w, h, null, 0, w);
        float[] plane = new float[w * h];
        for (int p = 0; p < plane.length; p++) {
            plane[p] = luma(px[p]) / 255f;
        }
        if (borderMean(plane, w, h) > 0.5f) {
            for (int i = 0; i < plane.length; i++) {
                plane[i] = 1f - plane[i];
            }
        }
        float[] framed = DigitFraming.frame(plane, w, h, spec.width());
        if (framed == null) {
            return toTensor(image, spec);
        }
        float mean = spec.mean()[0];
        float std = spec.std()[0];
        for (int i = 0; i < framed.length; i++) {
            framed[i] = (framed[i] - mean) / std;
        }
        return new ImageTensor(framed, 1, spec.height(), spec.width());
    }

    /** Longest side a digit is framed at: finer than 4x a 28-pixel input adds nothing. */
    static final int DIGIT_WORK_SIDE = 112;

    /** {@code rgb} with its longer side at most {@code max}, aspect kept, halved in steps so that no pixel is skipped. */
    static BufferedImage shrink(BufferedImage rgb, int max) {
        BufferedImage out = rgb;
        while (Math.max(out.getWidth(), out.getHeight()) > max) {
            double f = Math.max(0.5, max / (double) Math.max(out.getWidth(), out.getHeight()));
            out = resize(out, Math.max(1, (int) Math.round(out.getWidth() * f)), Math.max(1, (int) Math.round(out.getHeight() * f)));
        }
        return out;
    }

    /** Below this range (0-255) of the visible pixels' luma, the colour channels carry no contrast. */
    static final int FLAT_COLOUR = 8;
    /** From this range (0-255) of alpha, the alpha channel carries a picture. */
    static final int ALPHA_CONTRAST = 32;

    /**
     * Any image type as opaque RGB ({@code TYPE_INT_RGB}, same size), keeping the picture when there is
     * transparency. The rule, for an image with an alpha channel:
     * <ol>
     *   <li>When the colour channels carry no contrast (the luma of the pixels with alpha &gt; 0 spans
     *       less than {@value #FLAT_COLOUR} of 255) and the alpha channel does (it spans at least
     *       {@value #ALPHA_CONTRAST}), the alpha channel is the picture: it is rendered as ink, black
     *       where opaque, white where transparent (grey = 255 - alpha). A white 4 drawn on a
     *       transparent canvas comes out as a black 4 on white.</li>
     *   <li>Otherwise the image is composited onto the background that contrasts with what is opaque:
     *       black when the alpha-weighted mean luma of the pixels is above mid-grey (light ink), white
     *       otherwise (dark ink, and fully transparent images).</li>
     * </ol>
     * Opaque pixels are never changed. Images without alpha are only converted. Greys in the JDK's grey
     * colour space are taken as display greys (as Java2D draws them), not as linear light.
     * The model input, thumbnails, overlays and dominant colours all go through here, so they agree.
     */
    public static BufferedImage flatten(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        if (!image.getColorModel().hasAlpha()) {
            Graphics2D g = rgb.createGraphics();
            try {
                g.drawImage(image, 0, 0, null);
            } finally {
                g.dispose();
            }
            return rgb;
        }
        int[] argb = argb(image);
        int minLuma = 255;
        int maxLuma = 0;
        int minAlpha = 255;
        int maxAlpha = 0;
        double alphaSum = 0;
        double weightedLuma = 0;
        for (int px : argb) {
            int a = px >>> 24;
            int luma = luma(px);
            minAlpha = Math.min(minAlpha, a);
            maxAlpha = Math.max(maxAlpha, a);
            if (a > 0) {
                minLuma = Math.min(minLuma, luma);
                maxLuma = Math.max(maxLuma, luma);
                alphaSum += a;
                weightedLuma += (double) a * luma;
            }
        }
        // written straight into the result's pixels: no second full-size array
        int[] out = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        if (maxLuma - minLuma < FLAT_COLOUR && maxAlpha - minAlpha >= ALPHA_CONTRAST) {
            for (int i = 0; i < argb.length; i++) {
                int v = 255 - (argb[i] >>> 24);
                out[i] = (v << 16) | (v << 8) | v;
            }
        } else {
            int bg = alphaSum > 0 && weightedLuma / alphaSum > 127.5 ? 0 : 255;
            for (int i = 0; i < argb.length; i++) {
                int px = argb[i];
                int a = px >>> 24;
                int r = over((px >> 16) & 0xff, a, bg);
                int g = over((px >> 8) & 0xff, a, bg);
                int b = over(px & 0xff, a, bg);
                out[i] = (r << 16) | (g << 8) | b;
            }
        }
        return rgb;
    }

    private static int over(int c, int a, int bg) {
        return (c * a + bg * (255 - a) + 127) / 255;
    }

    private static int luma(int px) {
        return (299 * ((px >> 16) & 0xff) + 587 * ((px >> 8) & 0xff) + 114 * (px & 0xff) + 500) / 1000;
    }

    /** Non-premultiplied 8-bit ARGB of every pixel, row by row; greys of the JDK's grey space read as display greys. */
    static int[] argb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        if (cm.getColorSpace() == ColorSpace.getInstance(ColorSpace.CS_GRAY) && cm.getNumComponents() == 2
                && cm.getTransferType() != DataBuffer.TYPE_FLOAT && cm.getTransferType() != DataBuffer.TYPE_DOUBLE) {
            // getRGB would treat CS_GRAY as linear light and brighten every grey: read the samples instead
            Raster raster = image.getRaster();
            double greyMax = (1 << cm.getComponentSize(0)) - 1;
            double alphaMax = (1 << cm.getComponentSize(1)) - 1;
            int[] out = new int[w * h];
            int[] px = new int[2];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    raster.getPixel(raster.getMinX() + x, raster.getMinY() + y, px);
                    int a = (int) Math.round(px[1] * 255 / alphaMax);
                    int v = (int) Math.round(px[0] * 255 / greyMax);
                    if (cm.isAlphaPremultiplied() && a > 0) {
                        v = Math.min(255, Math.round(v * 255f / a));
                    }
                    out[y * w + x] = (a << 24) | (v << 16) | (v << 8) | v;
                }
            }
            return out;
        }
        return image.getRGB(0, 0, w, h, null, 0, w);
    }

    /** Bilinear resize; returns the image itself when it already has the size. */
    public static BufferedImage resize(BufferedImage rgb, int width, int height) {
        if (rgb.getWidth() == width && rgb.getHeight() == height) {
            return rgb;
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(rgb, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Mean of the first channel's outermost ring of pixels: the background's brightness. */
    static float borderMean(float[] plane, int w, int h) {
        double sum = 0;
        int n = 0;
        for (int x = 0; x < w; x++) {
            sum += plane[x] + plane[(h - 1) * w + x];
            n += 2;
        }
        for (int y = 1; y < h - 1; y++) {
            sum += plane[y * w] + plane[y * w + w - 1];
            n += 2;
        }
        return (float) (sum / n);
    }
}
