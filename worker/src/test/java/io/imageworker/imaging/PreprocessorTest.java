package io.imageworker.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import org.junit.jupiter.api.Test;

class PreprocessorTest {

    static final Preprocessor.Spec MNIST = new Preprocessor.Spec(28, 28, 1, new float[] {0}, new float[] {1}, true);

    @Test
    void greyPixelsArriveUnchangedAsUnitFloats() {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(3, 4, 0, 200);
        img.getRaster().setSample(10, 20, 0, 51);
        ImageTensor t = Preprocessor.toTensor(img, MNIST);
        assertThat(t.data()[4 * 28 + 3]).isCloseTo(200 / 255f, within(1e-6f));
        assertThat(t.data()[20 * 28 + 10]).isCloseTo(51 / 255f, within(1e-6f));
        assertThat(t.data()[0]).isZero();
    }

    @Test
    void darkInkOnLightPaperIsInvertedForALightOnDarkModel() {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                img.getRaster().setSample(x, y, 0, 255);
            }
        }
        img.getRaster().setSample(14, 14, 0, 0);
        ImageTensor t = Preprocessor.toTensor(img, MNIST);
        assertThat(t.data()[0]).isZero();
        assertThat(t.data()[14 * 28 + 14]).isEqualTo(1f);
    }

    @Test
    void resizesAndSplitsChannelsAndNormalises() {
        BufferedImage img = new BufferedImage(100, 50, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 50; y++) {
            for (int x = 0; x < 100; x++) {
                img.setRGB(x, y, 0xFF8000);
            }
        }
        Preprocessor.Spec rgb = new Preprocessor.Spec(8, 4, 3, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f},
                false);
        ImageTensor t = Preprocessor.toTensor(img, rgb);
        assertThat(t.channels()).isEqualTo(3);
        assertThat(t.height()).isEqualTo(4);
        assertThat(t.width()).isEqualTo(8);
        assertThat(t.data()[0]).isCloseTo(1f, within(1e-5f));            // red 1.0 -> (1 - .5) / .5
        assertThat(t.data()[32]).isCloseTo((128 / 255f - 0.5f) / 0.5f, within(1e-5f));
        assertThat(t.data()[64]).isCloseTo(-1f, within(1e-5f));           // blue 0
    }

    // ---- transparency: the rule of Preprocessor.flatten ----

    /** 20x20, fully transparent, with a 6x12 bar of {@code ink} (ARGB) in it; transparent pixels hold {@code under}. */
    static BufferedImage bar(int ink, int under) {
        BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                img.setRGB(x, y, x >= 7 && x < 13 && y >= 4 && y < 16 ? ink : under);
            }
        }
        return img;
    }

    static int grey(BufferedImage flat, int x, int y) {
        int p = flat.getRGB(x, y);
        assertThat((p >> 16) & 0xff).isEqualTo(p & 0xff);
        return p & 0xff;
    }

    @Test
    void whiteInkOnATransparentCanvasKeepsItsShape() {
        // colour channels all white, the shape only in alpha: the alpha is the picture, drawn as black ink on white
        BufferedImage flat = Preprocessor.flatten(bar(0xFFFFFFFF, 0x00FFFFFF));
        assertThat(grey(flat, 10, 10)).isZero();
        assertThat(grey(flat, 1, 1)).isEqualTo(255);
        ImageTensor t = Preprocessor.toTensor(bar(0xFFFFFFFF, 0x00FFFFFF), new Preprocessor.Spec(20, 20, 1, new float[] {0},
                new float[] {1}, true));
        assertThat(t.data()[10 * 20 + 10]).as("ink reaches a light-on-dark model as light").isEqualTo(1f);
        assertThat(t.data()[0]).isZero();
    }

    @Test
    void whatTransparentPixelsHoldDoesNotMatter() {
        // transparent pixels stored black (as many encoders leave them): only visible pixels count as colour
        BufferedImage flat = Preprocessor.flatten(bar(0xFFFFFFFF, 0x00000000));
        assertThat(grey(flat, 10, 10)).isZero();
        assertThat(grey(flat, 1, 1)).isEqualTo(255);
    }

    @Test
    void lightInkOfSeveralColoursIsCompositedOntoBlack() {
        // white and light grey ink: the colours carry contrast, so composite; what shows is light, so onto black
        BufferedImage img = bar(0xFFFFFFFF, 0x00FFFFFF);
        img.setRGB(8, 5, 0xFFC8C8C8);
        BufferedImage flat = Preprocessor.flatten(img);
        assertThat(grey(flat, 10, 10)).isEqualTo(255);
        assertThat(grey(flat, 8, 5)).isEqualTo(200);
        assertThat(grey(flat, 1, 1)).isZero();
    }

    @Test
    void blackInkOnATransparentCanvasStaysBlackOnWhite() {
        for (int under : new int[] {0x00000000, 0x00FFFFFF}) {
            BufferedImage flat = Preprocessor.flatten(bar(0xFF000000, under));
            assertThat(grey(flat, 10, 10)).isZero();
            assertThat(grey(flat, 1, 1)).isEqualTo(255);
        }
    }

    @Test
    void colouredInkWithPartialAlpha() {
        // one colour, half transparent, on a transparent canvas: the alpha is the picture (255 - 128 = 127 of ink)
        BufferedImage flat = Preprocessor.flatten(bar(0x80E01020, 0x00E01020));
        assertThat(grey(flat, 10, 10)).isEqualTo(127);
        assertThat(grey(flat, 0, 0)).isEqualTo(255);

        // two colours (dark blue, opaque; light yellow, half transparent): composited, keeping the colours, onto
        // white because the alpha-weighted mean of what shows is dark
        BufferedImage two = bar(0xFF102080, 0x00000000);
        two.setRGB(0, 0, 0x80FFFF40);
        BufferedImage out = Preprocessor.flatten(two);
        assertThat(out.getRGB(10, 10) & 0xffffff).isEqualTo(0x102080);
        assertThat(out.getRGB(0, 0) & 0xffffff).isEqualTo(0xFFFF9F); // 0x40 over white at 128/255: (64*128 + 255*127) / 255
        assertThat(out.getRGB(5, 5) & 0xffffff).isEqualTo(0xFFFFFF);
    }

    @Test
    void anOpaqueRgbaImageIsUnchanged() {
        BufferedImage img = new BufferedImage(16, 8, BufferedImage.TYPE_INT_ARGB);
        java.util.Random random = new java.util.Random(3);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, 0xFF000000 | random.nextInt(0x1000000));
            }
        }
        BufferedImage flat = Preprocessor.flatten(img);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                assertThat(flat.getRGB(x, y)).isEqualTo(img.getRGB(x, y));
            }
        }
    }

    @Test
    void greyPlusAlphaAndSixteenBitAlphaFollowTheSameRule() throws Exception {
        // LA, 8 bits: white ink, shape in alpha only
        BufferedImage la = new BufferedImage(new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE), Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 20, 20, 2, null),
                false, null);
        // RGBA, 16 bits per channel: the same bar
        BufferedImage rgba16 = new BufferedImage(new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_USHORT), Raster.createInterleavedRaster(DataBuffer.TYPE_USHORT, 20, 20, 4, null),
                false, null);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                boolean ink = x >= 7 && x < 13 && y >= 4 && y < 16;
                la.getRaster().setPixel(x, y, new int[] {255, ink ? 255 : 0});
                rgba16.getRaster().setPixel(x, y, new int[] {65535, 65535, 65535, ink ? 65535 : 0});
            }
        }
        ImageDecoder decoder = new ImageDecoder(1_000_000);
        for (BufferedImage img : new BufferedImage[] {la, rgba16}) {
            // straight, and through a PNG file and the decoder (LA and 16-bit RGBA PNGs)
            BufferedImage decoded = decoder.decode(io.imageworker.testing.Images.encode(img, "png"));
            for (BufferedImage candidate : new BufferedImage[] {img, decoded}) {
                BufferedImage flat = Preprocessor.flatten(candidate);
                assertThat(grey(flat, 10, 10)).isZero();
                assertThat(grey(flat, 1, 1)).isEqualTo(255);
            }
        }
        // a mid grey in LA keeps its value (a display grey, not brightened as linear light)
        la.getRaster().setPixel(10, 10, new int[] {100, 255});
        la.getRaster().setPixel(1, 1, new int[] {100, 255});
        assertThat(grey(Preprocessor.flatten(la), 10, 10)).isEqualTo(100);
    }

    @Test
    void theThumbnailAndTheModelInputAgree() {
        BufferedImage img = bar(0xFFFFFFFF, 0x00FFFFFF);
        byte[] original = io.imageworker.testing.Images.encode(img, "png");
        Thumbnails.Thumbnail thumb = Thumbnails.of(img, original, 64);
        assertThat(thumb.bytes()).as("an image with alpha is never passed through as is").isNotEqualTo(original);
        BufferedImage shown = io.imageworker.testing.Images.decode(thumb.bytes());
        assertThat(shown.getRGB(10, 10) & 0xffffff).isZero();
        assertThat(shown.getRGB(1, 1) & 0xffffff).isEqualTo(0xffffff);
    }
}
