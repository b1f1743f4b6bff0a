package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

/** {@link Crops#toMat}: the pixels the recognizer's crops are cut from are the pixels a viewer shows. */
class CropsMatTest {

    @Test
    void aGreyImageGivesItsOwnGreys() {
        // getRGB would read the JDK's grey space as linear light: 128 read 188, and a grey page's anti-aliased
        // strokes came out thin and pale in the recognizer's crops (the detector's input was already flattened)
        BufferedImage grey = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_GRAY);
        int[] levels = {0, 64, 128, 255};
        for (int x = 0; x < 4; x++) {
            grey.getRaster().setSample(x, 0, 0, levels[x]);
        }
        Mat m = Crops.toMat(grey);
        try {
            byte[] bgr = new byte[12];
            m.get(0, 0, bgr);
            for (int x = 0; x < 4; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(bgr[3 * x + c] & 0xff).as("pixel %d channel %d", x, c).isEqualTo(levels[x]);
                }
            }
        } finally {
            m.release();
        }
    }
}
