package io.imageworker.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import org.junit.jupiter.api.Test;

class DespeckleTest {

    /** A 1-bit page, paper white; {@code blackIsZero} false stores black as 1, as WhiteIsZero faxes decode. */
    static BufferedImage page(int w, int h, boolean blackIsZero) {
        byte[] white = {(byte) 255, 0};
        byte[] black = {0, (byte) 255};
        IndexColorModel cm = blackIsZero ? new IndexColorModel(1, 2, black, black, black)
                : new IndexColorModel(1, 2, white, white, white);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, cm);
        int paper = blackIsZero ? 1 : 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.getRaster().setSample(x, y, 0, paper);
            }
        }
        return image;
    }

    static void ink(BufferedImage image, int x, int y) {
        boolean blackIsZero = (image.getColorModel().getRGB(0) & 0xff) == 0;
        image.getRaster().setSample(x, y, 0, blackIsZero ? 0 : 1);
    }

    static boolean isInk(BufferedImage image, int x, int y) {
        return (image.getRGB(x, y) & 0xff) == 0;
    }

    @Test
    void specksOfOneAndTwoPixelsGoAndMarksOfThreeOrMoreStay() {
        for (boolean blackIsZero : new boolean[] {true, false}) {
            BufferedImage p = page(40, 20, blackIsZero);
            ink(p, 2, 2); // alone
            ink(p, 6, 2); // a diagonal pair
            ink(p, 7, 3);
            ink(p, 0, 19); // alone in the corner
            ink(p, 12, 2); // three in an L: a small full stop
            ink(p, 13, 2);
            ink(p, 12, 3);
            for (int y = 8; y < 16; y++) { // a stroke 2 px wide with a speck touching it
                ink(p, 20, y);
                ink(p, 21, y);
            }
            ink(p, 22, 10);
            ink(p, 30, 10); // a thin line of 4: its ends have one neighbour each and stay
            ink(p, 31, 10);
            ink(p, 32, 10);
            ink(p, 33, 10);
            assertThat(Despeckle.specks(p)).isSameAs(p);
            assertThat(isInk(p, 2, 2)).as("lone speck").isFalse();
            assertThat(isInk(p, 6, 2) || isInk(p, 7, 3)).as("pair").isFalse();
            assertThat(isInk(p, 0, 19)).as("corner speck").isFalse();
            assertThat(isInk(p, 12, 2) && isInk(p, 13, 2) && isInk(p, 12, 3)).as("three pixels").isTrue();
            assertThat(isInk(p, 22, 10)).as("a speck touching a stroke is part of it").isTrue();
            assertThat(isInk(p, 20, 8) && isInk(p, 21, 15)).isTrue();
            assertThat(isInk(p, 30, 10) && isInk(p, 33, 10)).as("a thin line's ends").isTrue();
        }
    }

    @Test
    void greyAndColourImagesAreUntouched() {
        BufferedImage grey = new BufferedImage(5, 5, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(2, 2, 0, 255);
        assertThat(Despeckle.isBilevel(grey)).isFalse();
        Despeckle.specks(grey);
        assertThat(grey.getRaster().getSample(2, 2, 0)).isEqualTo(255);
        assertThat(Despeckle.isBilevel(page(3, 3, true))).isTrue();
    }
}
