package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule on drawn lines: glyphs are 10 px blocks, the recognizer's spans are given (one step a pixel). */
class SpaceGapsTest {

    /** A 200 x 40 line with a block per symbol starting at {@code xs}; light on dark when {@code inverse}. */
    static BufferedImage line(int[] xs, boolean inverse) {
        BufferedImage image = new BufferedImage(200, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(inverse ? Color.BLACK : Color.WHITE);
        g.fillRect(0, 0, 200, 40);
        g.setColor(inverse ? Color.WHITE : Color.BLACK);
        for (int x : xs) {
            g.fillRect(x, 10, 10, 20);
        }
        g.dispose();
        return image;
    }

    /** Spans of {@code text} whose i-th character sits at {@code centres[i]} (spaces included). */
    static CtcDecoder.Spans spans(String text, int[] centres) {
        List<CtcDecoder.Symbol> s = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            s.add(new CtcDecoder.Symbol(text.substring(i, i + 1), centres[i], centres[i], 0.9));
        }
        return new CtcDecoder.Spans(s, 200);
    }

    // blocks: a b (2 px apart), a read space of 14 px, c d, a gap of 14 px with no space read, e f
    static final int[] BLOCKS = {8, 20, 44, 56, 80, 92};
    static final int[] CENTRES = {13, 25, 37, 49, 61, 85, 97};

    @Test
    void aGapAsWideAsTheLinesReadSpacesIsASpace() {
        for (boolean inverse : new boolean[] {false, true}) {
            CtcDecoder.Spans restored = SpaceGaps.restore(spans("ab cdef", CENTRES), line(BLOCKS, inverse), 1.0);
            assertThat(restored.text()).as("inverse %s", inverse).isEqualTo("ab cd ef");
            CtcDecoder.Symbol space = restored.symbols().get(5);
            assertThat(space.first()).isGreaterThan(61).isLessThan(85);
        }
    }

    @Test
    void aLineWithNoReadSpaceOrWideLetterSpacingKeepsItsText() {
        CtcDecoder.Spans noSpace = spans("abcdef", new int[] {13, 25, 49, 61, 85, 97});
        assertThat(SpaceGaps.restore(noSpace, line(BLOCKS, false), 1.0)).isSameAs(noSpace);
        // blocks 8 px apart inside words (a monospaced line), a read space of 14 px, a 14 px gap: not twice the spacing
        int[] mono = {8, 26, 52, 70, 94, 112};
        CtcDecoder.Spans spaced = spans("ab cdef", new int[] {13, 31, 44, 57, 75, 99, 117});
        assertThat(SpaceGaps.restore(spaced, line(mono, false), 1.0).text()).isEqualTo("ab cdef");
    }

    @Test
    void narrowGapsAndTwoDigitsKeepTheirText() {
        // Chinese and Japanese put no spaces between words: a gap beside a Han or kana symbol is no space
        assertThat(SpaceGaps.restore(spans("ab c\u4e2d\u6587f", CENTRES), line(BLOCKS, false), 1.0).text())
                .isEqualTo("ab c\u4e2d\u6587f");
        assertThat(SpaceGaps.restore(spans("ab c\u304b\u306ef", CENTRES), line(BLOCKS, false), 1.0).text())
                .isEqualTo("ab c\u304b\u306ef");
        CtcDecoder.Spans digits = spans("11 2233", CENTRES);
        assertThat(SpaceGaps.restore(digits, line(BLOCKS, false), 1.0).text()).isEqualTo("11 2233");
        // 14 px is under a quarter of a line 60 px high: not a space however the read spaces measure
        CtcDecoder.Spans tall = spans("ab cdef", CENTRES);
        assertThat(SpaceGaps.restore(tall, line(BLOCKS, false), 1.5).text()).isEqualTo("ab cdef");
    }

    @Test
    void aShadowAcrossTheLineIsNotAGap() {
        BufferedImage shaded = line(BLOCKS, false);
        // the right half in shadow: paper 255 -> 120, ink 0 stays darker than its surroundings
        for (int y = 0; y < 40; y++) {
            for (int x = 70; x < 200; x++) {
                int v = (shaded.getRGB(x, y) & 0xff) == 255 ? 120 : 10;
                shaded.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        assertThat(SpaceGaps.restore(spans("ab cdef", CENTRES), shaded, 1.0).text()).isEqualTo("ab cd ef");
        boolean[] white = SpaceGaps.whiteColumns(shaded, 40);
        assertThat(white[85]).as("a block in the shadow is ink").isFalse();
        assertThat(white[75]).as("shaded paper is paper").isTrue();
    }
}
