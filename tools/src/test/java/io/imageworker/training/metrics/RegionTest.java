package io.imageworker.training.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Areas and IoU on shapes whose answers are known by hand. */
class RegionTest {

    @Test
    void boxesOverlappingByHalfTheirWidth() {
        // 10x10 boxes shifted by 5: intersection 50, union 150
        assertThat(Region.box(0, 0, 10, 10).iou(Region.box(5, 0, 10, 10))).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(Region.box(0, 0, 10, 10).iou(Region.box(0, 0, 10, 20))).isEqualTo(0.5);
        assertThat(Region.box(0, 0, 10, 10).iou(Region.box(10, 0, 10, 10))).isZero();
        assertThat(Region.box(3, 4, 5, 6).iou(Region.box(3, 4, 5, 6))).isEqualTo(1.0);
    }

    @Test
    void aDiamondInsideItsSquareCoversHalfOfIt() {
        Region diamond = Region.polygon(5, 0, 10, 5, 5, 10, 0, 5);
        Region square = Region.box(0, 0, 10, 10);
        assertThat(diamond.isBox()).isFalse();
        assertThat(diamond.area()).isEqualTo(50.0);
        // intersection = the diamond (50), union = the square (100)
        assertThat(diamond.iou(square)).isCloseTo(0.5, within(1e-9));
        assertThat(square.iou(diamond)).isCloseTo(0.5, within(1e-9));
        // their bounding boxes are the same square
        assertThat(diamond.boundsIou(square)).isEqualTo(1.0);
    }

    @Test
    void rotatedPolygonsThroughTheGeneralPath() {
        // two diamonds of area 50 shifted by 5 along x: they meet in a diamond of half the diagonals: area 12.5
        Region a = Region.polygon(5, 0, 10, 5, 5, 10, 0, 5);
        Region b = Region.polygon(10, 0, 15, 5, 10, 10, 5, 5);
        assertThat(a.iou(b)).isCloseTo(12.5 / (50 + 50 - 12.5), within(1e-9));
        // counter-clockwise vertex order gives the same answer
        Region bCcw = Region.polygon(5, 5, 10, 10, 15, 5, 10, 0);
        assertThat(a.iou(bCcw)).isCloseTo(a.iou(b), within(1e-12));
    }

    @Test
    void triangleAreaAndBounds() {
        Region t = Region.polygon(0, 0, 4, 0, 0, 3);
        assertThat(t.area()).isEqualTo(6.0);
        assertThat(t.bounds()).isEqualTo(Region.box(0, 0, 4, 3));
        assertThat(t.minY()).isZero();
        assertThat(t.maxX()).isEqualTo(4.0);
    }

    @Test
    void malformedRegionsAreRefused() {
        assertThatThrownBy(() -> Region.polygon(1, 2, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Region.polygon(0, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Region.box(0, 0, -1, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
