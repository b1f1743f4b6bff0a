package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The crop margin of {@link Crops#growApart} on lines lying along and across the image. */
class CropsGrowApartTest {

    static Quad box(double x0, double y0, double x1, double y1) {
        return Quad.ordered(new double[] {x0, x1, x1, x0}, new double[] {y0, y0, y1, y1});
    }

    static double[] bounds(Quad q) {
        double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i < 4; i++) {
            b[0] = Math.min(b[0], q.x()[i]);
            b[1] = Math.min(b[1], q.y()[i]);
            b[2] = Math.max(b[2], q.x()[i]);
            b[3] = Math.max(b[3], q.y()[i]);
        }
        return b;
    }

    @Test
    void aHorizontalLineGrowsByItsHeightAndHalfWayToItsNeighbour() {
        // 38 px high: 9.5 px on every side, but only 5 px towards the part 10 px to its right
        List<Quad> grown = Crops.growApart(List.of(box(100, 16, 600, 54), box(610, 16, 900, 54)), 0.25, 1000, 100);
        assertThat(bounds(grown.get(0))).containsExactly(new double[] {90.5, 6.5, 605, 63.5}, within(1e-6));
    }

    @Test
    void aVerticalLineGrowsAcrossByItsWidthAndAlongOnlyHalfWayToItsNeighbour() {
        // A spine's line 38 px wide and 500 long: its height as read is 38, so 9.5 px across and
        // 9.5 px along, 5 px towards the part 10 px below (not 125 px: a quarter of its length)
        List<Quad> grown = Crops.growApart(List.of(box(16, 100, 54, 600), box(16, 610, 54, 900)), 0.25, 100, 1000);
        assertThat(bounds(grown.get(0))).containsExactly(new double[] {6.5, 90.5, 63.5, 605}, within(1e-6));
        assertThat(bounds(grown.get(1))).containsExactly(new double[] {6.5, 605, 63.5, 909.5}, within(1e-6));
        // corners keep their labels: the crop of a grown vertical quad is still turned
        assertThat(Crops.isVertical(grown.get(0))).isTrue();
        assertThat(grown.get(0).x()[0]).isLessThan(grown.get(0).x()[1]);
        assertThat(grown.get(0).y()[0]).isLessThan(grown.get(0).y()[3]);
    }
}
