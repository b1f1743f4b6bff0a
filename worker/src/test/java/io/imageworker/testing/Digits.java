package io.imageworker.testing;

import io.imageworker.datasets.Mnist;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;

/** MNIST test digits as image files, the way users would upload them. */
public final class Digits {

    private static Mnist test;

    private Digits() {}

    public static synchronized Mnist testSet() {
        if (test == null) {
            try {
                test = Mnist.bundledTestSet();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return test;
    }

    /** Digit {@code i} of the test set as an 8-bit grayscale image (white ink on black). */
    public static BufferedImage image(int i) {
        Mnist m = testSet();
        BufferedImage img = new BufferedImage(Mnist.SIDE, Mnist.SIDE, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = new byte[Mnist.PIXELS];
        System.arraycopy(m.pixels(), i * Mnist.PIXELS, px, 0, Mnist.PIXELS);
        img.getRaster().setDataElements(0, 0, Mnist.SIDE, Mnist.SIDE, px);
        return img;
    }

    public static byte[] png(int i) {
        return encode(image(i), "png");
    }

    public static byte[] encode(BufferedImage img, String format) {
        return Images.encode(img, format);
    }

    public static int label(int i) {
        return testSet().label(i);
    }
}
