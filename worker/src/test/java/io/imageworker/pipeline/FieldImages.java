package io.imageworker.pipeline;

import io.imageworker.imaging.Orientation;
import io.imageworker.imaging.TestImages;
import io.imageworker.testing.Digits;
import io.imageworker.testing.Images;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Images as users send them, with the label a viewer would read: the field's cases (a turned phone JPEG,
 * an Adobe CMYK JPEG, white ink on a transparent canvas) and more of each kind made from MNIST test digits.
 * Shared by {@link FieldImagesJobTest} (the worker in the test JVM) and {@link FieldImagesIT} (the fast-jar).
 */
final class FieldImages {

    /**
     * One input.
     *
     * @param name file name (its extension says the format)
     * @param bytes the file
     * @param label the digit a person sees
     * @param width the width a viewer shows, pixels
     * @param height the height a viewer shows, pixels
     */
    record Case(String name, byte[] bytes, String label, int width, int height) {}

    private FieldImages() {}

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("exif-orient6-7.jpg", Images.resource("/cases/field/exif-orient6-7.jpg"), "7", 112, 112));
        cases.add(new Case("cmyk-adobe-3.jpg", Images.resource("/cases/field/cmyk-adobe-3.jpg"), "3", 112, 112));
        cases.add(new Case("la-white-ink-4.png", Images.resource("/cases/field/la-white-ink-4.png"), "4", 28, 28));
        cases.add(new Case("white-ink-4-lossless.webp", Images.resource("/cases/imaging/white-ink-4-lossless.webp"), "4", 28, 28));

        // digits stored turned, with the EXIF orientation that turns them back
        cases.add(turned(0, 3, "jpg"));
        cases.add(turned(1, 8, "jpg"));
        cases.add(turned(2, 6, "png"));
        // a taller-than-wide digit stored on its side: the item reports the viewer's 28 x 32
        BufferedImage tall = new BufferedImage(28, 32, BufferedImage.TYPE_BYTE_GRAY);
        tall.getGraphics().drawImage(Digits.image(3), 0, 2, null);
        byte[] tallJpeg = TestImages.jpegWithOrientation(TestImages.encodeJpeg(Orientation.apply(tall, 8)), 6);
        cases.add(new Case("tall-orient6.jpg", tallJpeg, Integer.toString(Digits.label(3)), 28, 32));

        // digits printed in black ink as CMYK JPEGs: Adobe-inverted CMYK and YCCK
        BufferedImage paper = invert(Digits.image(4));
        cases.add(new Case("adobe-cmyk.jpg", TestImages.cmykJpeg(paper, TestImages.Cmyk.ADOBE_INVERTED),
                Integer.toString(Digits.label(4)), 28, 28));
        BufferedImage paper5 = invert(Digits.image(5));
        cases.add(new Case("ycck.jpg", TestImages.cmykJpeg(paper5, TestImages.Cmyk.YCCK), Integer.toString(Digits.label(5)), 28, 28));

        // white ink on a transparent RGBA canvas: the shape only in alpha
        BufferedImage digit = Digits.image(6);
        BufferedImage rgba = new BufferedImage(28, 28, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                rgba.setRGB(x, y, (digit.getRaster().getSample(x, y, 0) << 24) | 0xFFFFFF);
            }
        }
        cases.add(new Case("rgba-white-ink.png", Images.encode(rgba, "png"), Integer.toString(Digits.label(6)), 28, 28));
        return cases;
    }

    /** Digit {@code i} stored so that {@code orientation} turns it upright. */
    static Case turned(int i, int orientation, String format) {
        // 2-5 and 7 undo themselves; 6 and 8 undo each other
        int inverse = orientation == 6 ? 8 : orientation == 8 ? 6 : orientation;
        BufferedImage stored = Orientation.apply(Digits.image(i), inverse);
        byte[] bytes = format.equals("png") ? TestImages.pngWithOrientation(Images.encode(stored, "png"), orientation)
                : TestImages.jpegWithOrientation(TestImages.encodeJpeg(stored), orientation);
        return new Case("digit" + i + "-orient" + orientation + "." + format, bytes, Integer.toString(Digits.label(i)), 28, 28);
    }

    static BufferedImage invert(BufferedImage grey) {
        BufferedImage out = new BufferedImage(grey.getWidth(), grey.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < grey.getHeight(); y++) {
            for (int x = 0; x < grey.getWidth(); x++) {
                out.getRaster().setSample(x, y, 0, 255 - grey.getRaster().getSample(x, y, 0));
            }
        }
        return out;
    }
}
