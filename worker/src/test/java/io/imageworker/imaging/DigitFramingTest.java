package io.imageworker.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Digits framed the way MNIST framed its digits whatever they come on: paper with uneven light, a
 * dim 16-bit scan, a transparent canvas; and pictures that are not one object on a clean ground
 * left as {@link Preprocessor#toTensor} makes them.
 */
class DigitFramingTest {

    static final Preprocessor.Spec MNIST = new Preprocessor.Spec(28, 28, 1, new float[] {0f}, new float[] {1f}, true);

    /** Ink of an "L"-like stroke pair (value 1) in a {@code w x h} plane, at (x, y), {@code s} pixels high. */
    static float[] strokes(int w, int h, int x, int y, int s) {
        float[] ink = new float[w * h];
        int t = Math.max(2, s / 6);
        for (int r = y; r < y + s; r++) {
            for (int c = x; c < x + t; c++) {
                ink[r * w + c] = 1f;
            }
        }
        for (int r = y + s - t; r < y + s; r++) {
            for (int c = x; c < x + s / 2; c++) {
                ink[r * w + c] = 1f;
            }
        }
        return ink;
    }

    /** Dark ink (level {@code inkLevel}) on paper {@code paper} with light falling off by {@code light} across, 8-bit grey. */
    static BufferedImage onPaper(float[] ink, int w, int h, float paper, float inkLevel, float light, Random r) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = img.getRaster();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float bg = paper - light * x / w + (float) r.nextGaussian() * 0.01f;
                float v = bg * (1 - ink[y * w + x]) + inkLevel * ink[y * w + x];
                raster.setSample(x, y, 0, Math.round(Math.max(0, Math.min(1, v)) * 255));
            }
        }
        return img;
    }

    static float[] plane(ImageTensor t) {
        return t.data();
    }

    static double[] centreOfMass(float[] p, int side) {
        double m = 0;
        double mx = 0;
        double my = 0;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                m += p[y * side + x];
                mx += p[y * side + x] * x;
                my += p[y * side + x] * y;
            }
        }
        return new double[] {mx / m, my / m};
    }

    static int[] inkBox(float[] p, int side) {
        int x0 = side;
        int y0 = side;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                if (p[y * side + x] > 0.25f) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return new int[] {x0, y0, x1, y1};
    }

    @Test
    void aSmallDarkDigitOnUnevenGreyPaperIsFramedAsMnistFramesDigits() {
        int w = 120;
        int h = 90;
        BufferedImage img = onPaper(strokes(w, h, 20, 15, 30), w, h, 0.8f, 0.25f, 0.15f, new Random(1));

        float[] p = plane(Preprocessor.toDigitTensor(img, MNIST));

        int[] box = inkBox(p, 28);
        assertThat(box[3] - box[1] + 1).as("ink box height").isBetween(19, 21);
        double[] c = centreOfMass(p, 28);
        assertThat(c[0]).isCloseTo(13.5, within(1.0));
        assertThat(c[1]).isCloseTo(13.5, within(1.0));
        float max = 0;
        double corners = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                max = Math.max(max, p[y * 28 + x]);
                if ((x < 4 || x >= 24) && (y < 4 || y >= 24)) {
                    corners += p[y * 28 + x];
                }
            }
        }
        assertThat(max).as("ink stretched to full level").isGreaterThan(0.95f);
        assertThat(corners).as("ground and uneven light removed").isZero();
        // the plain resize keeps the paper's grey as a ground
        float[] plain = plane(Preprocessor.toTensor(img, MNIST));
        assertThat(plain[27 * 28 + 27]).as("inverted paper in a corner").isGreaterThan(0.1f);
    }

    @Test
    void aDim16BitScanAndAWhiteDigitOnTransparencyFrameLikeTheSame8BitDigit() {
        int side = 64;
        float[] ink = strokes(side, side, 22, 14, 36);
        BufferedImage reference = onPaper(ink, side, side, 1f, 0f, 0f, new Random(2));
        // 14-bit data in a 16-bit file: a light digit whose samples reach only 16383 of 65535
        BufferedImage dim = new BufferedImage(side, side, BufferedImage.TYPE_USHORT_GRAY);
        BufferedImage transparent = new BufferedImage(side, side, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                dim.getRaster().setSample(x, y, 0, Math.round(ink[y * side + x] * 16383));
                transparent.setRGB(x, y, (Math.round(ink[y * side + x] * 255) << 24) | 0xffffff);
            }
        }
        float[] want = plane(Preprocessor.toDigitTensor(reference, MNIST));
        for (BufferedImage img : new BufferedImage[] {dim, transparent}) {
            float[] got = plane(Preprocessor.toDigitTensor(img, MNIST));
            double diff = 0;
            for (int i = 0; i < want.length; i++) {
                diff = Math.max(diff, Math.abs(got[i] - want[i]));
            }
            assertThat(diff).as("largest pixel difference, type %d", img.getType()).isLessThan(0.1);
        }
    }

    @Test
    void anMnistDigitSentAsA28PixelPngIsOnlyRecentred() throws Exception {
        io.imageworker.datasets.Mnist test = io.imageworker.datasets.Mnist.bundledTestSet();
        for (int i = 0; i < 50; i++) {
            float[] p = test.image(i);
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int k = 0; k < p.length; k++) {
                img.getRaster().setSample(k % 28, k / 28, 0, Math.round(p[k] * 255));
            }
            float[] q = plane(Preprocessor.toDigitTensor(img, MNIST));
            double best = Double.MAX_VALUE;
            for (int dy = -3; dy <= 3; dy++) {
                for (int dx = -3; dx <= 3; dx++) {
                    double worst = 0;
                    for (int y = 0; y < 28; y++) {
                        for (int x = 0; x < 28; x++) {
                            int sx = x - dx;
                            int sy = y - dy;
                            float v = sx >= 0 && sy >= 0 && sx < 28 && sy < 28 ? p[sy * 28 + sx] : 0f;
                            worst = Math.max(worst, Math.abs(v - q[y * 28 + x]));
                        }
                    }
                    best = Math.min(best, worst);
                }
            }
            assertThat(best).as("test digit %d: largest difference from the nearest shift of itself", i).isLessThan(0.02);
        }
    }

    @Test
    void picturesWithoutOneObjectOnACleanGroundKeepThePlainResize() {
        Random r = new Random(3);
        BufferedImage noise = new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 50; y++) {
            for (int x = 0; x < 50; x++) {
                noise.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        BufferedImage flat = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY);
        for (BufferedImage img : new BufferedImage[] {noise, flat}) {
            assertThat(plane(Preprocessor.toDigitTensor(img, MNIST))).containsExactly(plane(Preprocessor.toTensor(img, MNIST)));
        }
        // an RGB model's input is never framed
        Preprocessor.Spec rgb = new Preprocessor.Spec(28, 28, 3, new float[] {0f}, new float[] {1f}, false);
        BufferedImage digit = onPaper(strokes(80, 80, 10, 10, 30), 80, 80, 0.9f, 0.1f, 0f, r);
        assertThat(plane(Preprocessor.toDigitTensor(digit, rgb))).containsExactly(plane(Preprocessor.toTensor(digit, rgb)));
    }
}
