package io.imageworker.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.datasets.Mnist;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SceneGeneratorTest {

    static Mnist test;

    @BeforeAll
    static void load() throws IOException {
        test = Mnist.bundledTestSet().head(2000);
    }

    @Test
    void sameSeedGivesTheSameScene() {
        SceneGenerator g = SceneGenerator.standard(test);
        SceneGenerator.Scene a = g.scene(42, 7);
        SceneGenerator.Scene b = SceneGenerator.standard(test).scene(42, 7);
        assertThat(a.image()).containsExactly(b.image());
        assertThat(a.labels()).containsExactly(b.labels());
        assertThat(a.digitClasses()).containsExactly(b.digitClasses());
        SceneGenerator.Scene c = g.scene(42, 8);
        assertThat(c.image()).isNotEqualTo(a.image());
    }

    @Test
    void labelsMarkInkWithTheClassOfADigitDrawn() {
        SceneGenerator g = SceneGenerator.standard(test);
        Set<Integer> counts = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            SceneGenerator.Scene s = g.scene(1, i);
            counts.add(s.digitClasses().length);
            assertThat(s.digitClasses().length).isBetween(1, 5);
            Set<Integer> drawn = new HashSet<>();
            for (int d : s.digitClasses()) {
                drawn.add(d + 1);
            }
            int ink = 0;
            for (int p = 0; p < s.labels().length; p++) {
                int label = s.labels()[p];
                if (label == 0) {
                    assertThat(s.image()[p]).isLessThan(DigitPainter.INK);
                } else {
                    ink++;
                    assertThat(drawn).contains(label);
                    assertThat(s.image()[p]).isGreaterThanOrEqualTo(DigitPainter.INK);
                }
            }
            assertThat(ink).isPositive();
        }
        assertThat(counts).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    }

    @Test
    void noDigitIsCoveredBeyondTheOverlapCap() {
        SceneGenerator g = SceneGenerator.standard(test);
        int overlapping = 0;
        for (int i = 0; i < 300; i++) {
            SceneGenerator.Scene s = g.scene(2, i);
            assertThat(s.digitBoxes()).hasSize(s.digitClasses().length);
            for (int a = 0; a < s.digitBoxes().size(); a++) {
                for (int b = a + 1; b < s.digitBoxes().size(); b++) {
                    double c = SceneGenerator.covers(s.digitBoxes().get(a), s.digitBoxes().get(b));
                    assertThat(c).isLessThanOrEqualTo(g.maxOverlap());
                    overlapping += c > 0 ? 1 : 0;
                }
            }
        }
        // Overlap is allowed, and happens.
        assertThat(overlapping).isPositive();
    }

    @Test
    void aSingleDigitSceneLabelsExactlyItsInk() {
        SceneGenerator one = new SceneGenerator(test, 64, 1, 1, 28, 28, 1.0);
        SceneGenerator.Scene s = one.scene(3);
        int label = s.digitClasses()[0] + 1;
        for (int p = 0; p < s.labels().length; p++) {
            assertThat(s.labels()[p]).isEqualTo((byte) (s.image()[p] >= DigitPainter.INK ? label : 0));
        }
    }

    @Test
    void scenesOnlyUseTheirPool() {
        // A pool of only sevens can only produce sevens.
        int seven = -1;
        for (int i = 0; i < test.count() && seven < 0; i++) {
            seven = test.label(i) == 7 ? i : -1;
        }
        byte[] px = new byte[Mnist.PIXELS];
        System.arraycopy(test.pixels(), seven * Mnist.PIXELS, px, 0, Mnist.PIXELS);
        Mnist sevens = new Mnist(px, new byte[] {7}, 1);
        SceneGenerator.Scene s = SceneGenerator.standard(sevens).scene(5);
        for (byte l : s.labels()) {
            assertThat(l).isIn((byte) 0, (byte) 8);
        }
    }
}
