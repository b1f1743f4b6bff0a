package io.imageworker.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
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
}
