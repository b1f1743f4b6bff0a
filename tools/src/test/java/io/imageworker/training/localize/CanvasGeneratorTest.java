package io.imageworker.training.localize;

import io.imageworker.training.data.DigitPainter;
import io.imageworker.training.data.CanvasGenerator;
import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.imaging.Box;
import io.imageworker.datasets.Mnist;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CanvasGeneratorTest {

    static Mnist test;

    @BeforeAll
    static void load() throws IOException {
        test = Mnist.bundledTestSet().head(2000);
    }

    @Test
    void sameSeedGivesTheSameCanvas() {
        CanvasGenerator.Canvas a = CanvasGenerator.standard(test).canvas(9, 3);
        CanvasGenerator.Canvas b = CanvasGenerator.standard(test).canvas(9, 3);
        assertThat(a.image()).containsExactly(b.image());
        assertThat(a.digits()).isEqualTo(b.digits());
    }

    @Test
    void digitsHaveDifferentClassesDisjointBoxesAndAllInkInsideThem() {
        CanvasGenerator g = CanvasGenerator.standard(test);
        Set<Integer> counts = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            CanvasGenerator.Canvas c = g.canvas(11, i);
            counts.add(c.digits().size());
            assertThat(c.digits()).hasSizeBetween(1, 3);
            assertThat(c.digits().stream().map(CanvasGenerator.Placed::digit).distinct().count())
                    .isEqualTo(c.digits().size());
            float[] labels = c.labels();
            float sum = 0;
            for (float l : labels) {
                sum += l;
            }
            assertThat(sum).isEqualTo((float) c.digits().size());
            for (int p = 0; p < c.digits().size(); p++) {
                Box bp = c.digits().get(p).box();
                assertThat(bp.x0()).isGreaterThanOrEqualTo(0);
                assertThat(bp.x1()).isLessThanOrEqualTo(c.side());
                assertThat(labels[c.digits().get(p).digit()]).isEqualTo(1f);
                for (int q = p + 1; q < c.digits().size(); q++) {
                    assertThat(bp.intersect(c.digits().get(q).box()).area()).isZero();
                }
            }
            for (int y = 0; y < c.side(); y++) {
                for (int x = 0; x < c.side(); x++) {
                    if (c.image()[y * c.side() + x] >= DigitPainter.INK) {
                        int fx = x;
                        int fy = y;
                        assertThat(c.digits()).anyMatch(d -> d.box().contains(fx, fy));
                    }
                }
            }
        }
        assertThat(counts).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void theBlobBaselineFindsALoneDigit() {
        CanvasGenerator one = new CanvasGenerator(test, 80, 1, 28, 28);
        int hits = 0;
        for (int i = 0; i < 50; i++) {
            CanvasGenerator.Canvas c = one.canvas(4, i);
            Box blob = BrightBlob.box(c.image(), c.side());
            hits += blob != null && blob.iou(c.digits().get(0).box()) >= 0.5 ? 1 : 0;
        }
        assertThat(hits).isGreaterThan(40);
    }
}
