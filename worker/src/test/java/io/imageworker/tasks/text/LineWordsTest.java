package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;

/** Placing words and symbols from CTC time steps: the split, the extents in steps, and the map back to the image. */
class LineWordsTest {

    static CtcDecoder.Symbol sym(String s, int first, int last) {
        return new CtcDecoder.Symbol(s, first, last, 0.9);
    }

    static Quad rect(double x0, double y0, double x1, double y1) {
        return new Quad(new double[] {x0, x1, x1, x0}, new double[] {y0, y0, y1, y1});
    }

    @Test
    void wordsSplitAtSpacesAndChineseCharactersStandAlone() {
        List<CtcDecoder.Symbol> s = List.of(sym("a", 1, 1), sym("b", 3, 3), sym(" ", 5, 5), sym("c", 7, 7), sym("中", 9, 9),
                sym("文", 11, 11), sym("d", 13, 13), sym(" ", 15, 15));
        List<List<CtcDecoder.Symbol>> words = LineWords.split(s);
        assertThat(words.stream().map(w -> String.join("", w.stream().map(CtcDecoder.Symbol::text).toList())).toList())
                .containsExactly("ab", "c", "中", "文", "d");
    }

    @Test
    void symbolsMeetHalfWayBetweenRunsAndWordEndsReachHalfAPitchFromTheirCentre() {
        // "ab cd" over 20 steps: runs a 2, b 4-5, space 7, c 10, d 12
        List<List<CtcDecoder.Symbol>> words = LineWords.split(List.of(sym("a", 2, 2), sym("b", 4, 5), sym(" ", 7, 7),
                sym("c", 10, 10), sym("d", 12, 12)));
        // pitch: centres 2.5 -> 5 (2.5) and 10.5 -> 12.5 (2): median 2.25
        assertThat(LineWords.pitch(words, 20)).isEqualTo(2.25);
        double[][][] e = LineWords.extents(words, 20);
        double reach = LineWords.EDGE * 2.25;
        assertThat(e[0][0][0]).isCloseTo(Math.min(2, 2.5 - reach), within(1e-9));
        assertThat(e[0][0][1]).isEqualTo(3.5); // half way between a's run (ends at 3) and b's (starts at 4)
        assertThat(e[0][1][0]).isEqualTo(3.5);
        assertThat(e[0][1][1]).isCloseTo(Math.max(6, 5 + reach), within(1e-9));
        assertThat(e[1][0][0]).isCloseTo(10.5 - reach, within(1e-9));
        assertThat(e[1][1][1]).isCloseTo(12.5 + reach, within(1e-9));
        // never past half way to the next word: b's run ends at 6, c's starts at 10
        assertThat(e[0][1][1]).isLessThanOrEqualTo(8);
        assertThat(e[1][0][0]).isGreaterThanOrEqualTo(8);
    }

    @Test
    void theUnitSquareMapsOntoTheQuadProjectively() {
        Quad q = new Quad(new double[] {10, 200, 230, 0}, new double[] {20, 0, 90, 60});
        for (int i = 0; i < 4; i++) {
            double[] p = LineWords.at(q, i == 1 || i == 2 ? 1 : 0, i >= 2 ? 1 : 0);
            assertThat(p[0]).isCloseTo(q.x()[i], within(1e-9));
            assertThat(p[1]).isCloseTo(q.y()[i], within(1e-9));
        }
        // a projective map keeps the centre of the square at the crossing of the quad's diagonals
        double[] c = LineWords.at(q, 0.5, 0.5);
        double[] d = crossing(q.x()[0], q.y()[0], q.x()[2], q.y()[2], q.x()[1], q.y()[1], q.x()[3], q.y()[3]);
        assertThat(c[0]).isCloseTo(d[0], within(1e-6));
        assertThat(c[1]).isCloseTo(d[1], within(1e-6));
    }

    static double[] crossing(double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy) {
        double rx = bx - ax;
        double ry = by - ay;
        double sx = dx - cx;
        double sy = dy - cy;
        double t = ((cx - ax) * sy - (cy - ay) * sx) / (rx * sy - ry * sx);
        return new double[] {ax + t * rx, ay + t * ry};
    }

    @Test
    void aWordsBoxSpansItsStepsAlongTheCropAndTheLinesHeightAcross() {
        // the line 100..500 x 50..90, cut with a margin of 10 px on every side: 80..520 x 40..100
        Quad line = rect(100, 50, 500, 90);
        LineWords.Frame f = LineWords.Frame.of(line, rect(80, 40, 520, 100), false);
        CtcDecoder.Spans spans = new CtcDecoder.Spans(List.of(sym("a", 4, 4), sym("b", 6, 6), sym(" ", 8, 8), sym("c", 12, 12),
                sym("d", 14, 14)), 44);
        List<TextWord> words = LineWords.words(spans, f);
        assertThat(words).extracting(TextWord::text).containsExactly("ab", "cd");
        // one step is 440 / 44 = 10 px; pitch 2 steps, reach 1 step: "ab" from step 3.5 to 7.5, "cd" 11.5 to 15.5
        Quad ab = words.get(0).quad();
        assertThat(ab.x()).containsExactly(new double[] {115, 155, 155, 115}, within(1e-6));
        assertThat(ab.y()).containsExactly(new double[] {50, 50, 90, 90}, within(1e-6));
        assertThat(words.get(1).quad().x()[0]).isCloseTo(195, within(1e-6));
        assertThat(words.get(0).symbols()).hasSize(2);
        assertThat(words.get(0).symbols().get(0).quad().x()[1]).isCloseTo(135, within(1e-6)); // a | b at step 5.5
        assertThat(words.get(0).confidence()).isEqualTo(0.9);
    }

    @Test
    void aVerticalLineAndOneReadUpsideDownArePlacedFromTheirOwnStart() {
        // a vertical line 40 wide, 300 high: turned counter-clockwise to be read, it starts at the image's top-right
        Quad tall = rect(100, 100, 140, 400);
        LineWords.Frame v = LineWords.Frame.of(tall, tall, false);
        Quad first = LineWords.between(v, 0, 0.1);
        assertThat(first.y()[0]).isCloseTo(100, within(1e-6));
        assertThat(first.y()[1]).isCloseTo(130, within(1e-6));
        assertThat(first.x()[0]).isCloseTo(140, within(1e-6));
        // a horizontal line read upside down starts at its right end
        Quad wide = rect(0, 0, 400, 40);
        Quad start = LineWords.between(LineWords.Frame.of(wide, wide, true), 0, 0.25);
        assertThat(start.x()[0]).isCloseTo(400, within(1e-6));
        assertThat(start.x()[1]).isCloseTo(300, within(1e-6));
        assertThat(start.y()[0]).isCloseTo(40, within(1e-6));
    }

    /**
     * The map back agrees with the crop itself: a dot drawn in the image, cut out along a turned and
     * skewed quad by {@link Crops#crop}, is found in the crop at a point that {@link LineWords#at}
     * takes back to the dot.
     */
    @Test
    void aPointOfTheCropMapsBackToWhereItIsInTheImage() {
        BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 400, 300);
        g.setColor(Color.BLACK);
        g.fillOval(197, 147, 7, 7); // centred on (200.5, 150.5)
        g.dispose();
        Quad q = new Quad(new double[] {60, 330, 350, 70}, new double[] {90, 120, 210, 185});
        Mat whole = Crops.toMat(img);
        BufferedImage crop;
        try {
            crop = Crops.crop(whole, q);
        } finally {
            whole.release();
        }
        double sx = 0;
        double sy = 0;
        double n = 0;
        for (int y = 0; y < crop.getHeight(); y++) {
            for (int x = 0; x < crop.getWidth(); x++) {
                double ink = 255 - (crop.getRGB(x, y) & 0xff);
                sx += ink * (x + 0.5);
                sy += ink * (y + 0.5);
                n += ink;
            }
        }
        double[] p = LineWords.at(q, sx / n / crop.getWidth(), sy / n / crop.getHeight());
        assertThat(p[0]).isCloseTo(200.5, within(1.5));
        assertThat(p[1]).isCloseTo(150.5, within(1.5));
    }
}
