package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReadingOrderTest {

    /** An axis-aligned line box x0..x1, y0..y1, turned by {@code degrees} about (cx, cy). */
    static TextLine line(String text, double x0, double y0, double x1, double y1, double degrees, double cx, double cy) {
        double[] xs = {x0, x1, x1, x0};
        double[] ys = {y0, y0, y1, y1};
        double a = Math.toRadians(degrees);
        double[] x = new double[4];
        double[] y = new double[4];
        for (int i = 0; i < 4; i++) {
            x[i] = cx + (xs[i] - cx) * Math.cos(a) - (ys[i] - cy) * Math.sin(a);
            y[i] = cy + (xs[i] - cx) * Math.sin(a) + (ys[i] - cy) * Math.cos(a);
        }
        return new TextLine(new Quad(x, y), text, 0.9);
    }

    /** A page: a heading, two columns of 3 lines (30 px high, 8 px apart), a footer; shuffled. */
    static List<TextLine> page(double degrees) {
        List<TextLine> lines = new ArrayList<>();
        lines.add(line("Heading", 200, 20, 520, 70, degrees, 380, 300));
        for (int i = 0; i < 3; i++) {
            double y = 150 + 38 * i;
            lines.add(line("left " + i, 40, y, 300, y + 30, degrees, 380, 300));
            lines.add(line("right " + i, 420, y, 700, y + 30, degrees, 380, 300));
        }
        lines.add(line("footer", 320, 500, 440, 525, degrees, 380, 300));
        Collections.shuffle(lines, new Random(7));
        return lines;
    }

    @Test
    void aPageReadsHeadingThenLeftColumnThenRightColumnThenFooter() {
        List<TextBlock> blocks = ReadingOrder.blocks(page(0));
        assertThat(blocks).extracting(TextBlock::text).containsExactly("Heading", "left 0\nleft 1\nleft 2",
                "right 0\nright 1\nright 2", "footer");
        assertThat(ReadingOrder.fullText(blocks))
                .isEqualTo("Heading\n\nleft 0\nleft 1\nleft 2\n\nright 0\nright 1\nright 2\n\nfooter");
        // the left column's rectangle encloses its lines
        Quad left = blocks.get(1).quad();
        assertThat(left.x()[0]).isCloseTo(40, within(1e-9));
        assertThat(left.y()[0]).isCloseTo(150, within(1e-9));
        assertThat(left.x()[2]).isCloseTo(300, within(1e-9));
        assertThat(left.y()[2]).isCloseTo(150 + 76 + 30, within(1e-9));
    }

    @Test
    void aSkewedPageReadsTheSameWay() {
        for (double deg : new double[] {-12, -7, 8, 15}) {
            List<TextBlock> blocks = ReadingOrder.blocks(page(deg));
            assertThat(blocks).as("turned %s degrees", deg).extracting(TextBlock::text).containsExactly("Heading",
                    "left 0\nleft 1\nleft 2", "right 0\nright 1\nright 2", "footer");
            assertThat(Math.toDegrees(ReadingOrder.skew(blocks.get(1).lines()))).isCloseTo(deg, within(1e-6));
        }
    }

    @Test
    void linesSideBySideInARowJoinWithASpaceAndAHeadingTwiceAsHighStaysApart() {
        List<TextLine> lines = List.of(
                line("3", 470, 100, 505, 130, 0, 0, 0),
                line("PLATFORM", 60, 95, 460, 135, 0, 0, 0),
                line("BIG", 60, 5, 300, 85, 0, 0, 0),
                line("Trains to Central", 60, 150, 380, 180, 0, 0, 0));
        List<TextBlock> blocks = ReadingOrder.blocks(lines);
        assertThat(blocks).extracting(TextBlock::text).containsExactly("BIG", "PLATFORM 3\nTrains to Central");
        assertThat(blocks.get(1).lines()).extracting(TextLine::text).containsExactly("PLATFORM", "3", "Trains to Central");
    }

    @Test
    void aBlockConfidenceWeighsItsLinesByCharacters() {
        List<TextLine> lines = List.of(new TextLine(line("abcd", 0, 0, 100, 20, 0, 0, 0).quad(), "abcd", 1.0),
                new TextLine(line("x", 0, 25, 100, 45, 0, 0, 0).quad(), "x", 0.5));
        TextBlock b = ReadingOrder.blocks(lines).get(0);
        assertThat(b.confidence()).isCloseTo((4 * 1.0 + 0.5) / 5, within(1e-12));
    }

    @Test
    void noLinesNoBlocks() {
        assertThat(ReadingOrder.blocks(List.of())).isEmpty();
        assertThat(ReadingOrder.fullText(List.of())).isEmpty();
    }
}
