package io.imageworker.tasks.localize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.imageworker.imaging.Box;
import org.junit.jupiter.api.Test;

class CamBoxesTest {

    static boolean[] mask(String... rows) {
        int w = rows[0].length();
        boolean[] m = new boolean[w * rows.length];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < w; x++) {
                m[y * w + x] = rows[y].charAt(x) == '#';
            }
        }
        return m;
    }

    @Test
    void largestComponentIsEightConnected() {
        boolean[] m = mask(
                "##......",
                "##......",
                "..#....#",
                "...#...#",
                ".......#");
        // The diagonal joins the 2x2 block and the two pixels below it: 6 pixels beat the 3-pixel bar.
        assertThat(CamBoxes.largestComponent(m, 8, 5)).isEqualTo(new Box(0, 0, 4, 4));
    }

    @Test
    void separateRegionsPickTheBiggest() {
        boolean[] m = mask(
                "#.....",
                "...###",
                "...###");
        assertThat(CamBoxes.largestComponent(m, 6, 3)).isEqualTo(new Box(3, 1, 6, 3));
        assertThat(CamBoxes.largestComponent(new boolean[6], 3, 2)).isNull();
    }

    @Test
    void boxKeepsPixelsAtTheFractionOfTheMax() {
        float[] map = {
            0, 0, 0, 0, 0,
            0, 2, 4, 0, 0,
            0, 5, 10, 6, 0,
            0, 0, 3, 0, 9,
            0, 0, 0, 0, 0};
        // >= 5: (1,2) (2,2) (3,2) connected, and (4,3) touches (3,2) diagonally.
        assertThat(CamBoxes.box(map, 5, 5, 0.5)).isEqualTo(new Box(1, 2, 5, 4));
        // >= 9.5: only the peak.
        assertThat(CamBoxes.box(map, 5, 5, 0.95)).isEqualTo(new Box(2, 2, 3, 3));
        // No positive evidence: no box.
        assertThat(CamBoxes.box(new float[] {-1, -2, -3, -4}, 2, 2, 0.5)).isNull();
    }

    @Test
    void upsamplePutsCellKOnPixelKTimesTheStride() {
        float[] constant = {3, 3, 3, 3};
        for (float v : CamBoxes.upsample(constant, 2, 2, 8, 8)) {
            assertThat(v).isEqualTo(3f);
        }
        // Cells of a 4x-smaller row sit on pixels 0, 4, 8; between them values blend linearly.
        float[] row = CamBoxes.upsample(new float[] {0, 4, 8}, 3, 1, 12, 1);
        assertThat(row[0]).isEqualTo(0f);
        assertThat(row[4]).isEqualTo(4f);
        assertThat(row[8]).isEqualTo(8f);
        assertThat(row[2]).isCloseTo(2f, within(1e-6f));
        assertThat(row[6]).isCloseTo(6f, within(1e-6f));
        // Past the last centre: the edge value.
        assertThat(row[11]).isEqualTo(8f);
        // A single hot cell peaks exactly on its pixel.
        float[] up = CamBoxes.upsample(new float[] {0, 0, 0, 1}, 2, 2, 8, 8);
        assertThat(CamBoxes.argMax(up)).isEqualTo(4 * 8 + 4);
    }

    @Test
    void locateGivesHeatmapBoxAndPeakInInputPixels() {
        float[] maps = new float[2 * 4 * 4];
        maps[16 + 4 + 2] = 1f; // class 1, row 1, column 2
        CamResult r = new CamResult(new float[] {0.1f, 0.9f}, 4, 4, maps);
        CamBoxes.Localization loc = CamBoxes.locate(r, 1, 16, 16, 0.5);
        assertThat(loc.heatmap()).hasSize(256);
        assertThat(loc.box()).isNotNull();
        assertThat(loc.box().contains(loc.peakX(), loc.peakY())).isTrue();
        assertThat(loc.peakX()).isEqualTo(2 * 4);
        assertThat(loc.peakY()).isEqualTo(1 * 4);
        assertThat(r.topClass()).isEqualTo(1);
    }

    @Test
    void peakIsRefinedBetweenCells() {
        // Cells 4 px apart: values 0, 4, 2 put the parabola's vertex 1/6 of a cell right of cell 1.
        int[] p = CamBoxes.peak(new float[] {0, 4, 2}, 3, 1, 12, 1);
        assertThat(p[0]).isEqualTo(Math.round((1 + 1 / 6f) * 4));
        assertThat(p[1]).isZero();
        // Symmetric neighbours: exactly on the cell; at an edge: on the cell.
        assertThat(CamBoxes.peak(new float[] {1, 4, 1}, 3, 1, 12, 1)[0]).isEqualTo(4);
        assertThat(CamBoxes.peak(new float[] {4, 1, 0}, 3, 1, 12, 1)[0]).isZero();
    }

    @Test
    void boxIou() {
        Box a = new Box(0, 0, 10, 10);
        assertThat(a.iou(a)).isEqualTo(1.0);
        assertThat(a.iou(new Box(5, 0, 15, 10))).isCloseTo(50 / 150.0, within(1e-12));
        assertThat(a.iou(new Box(20, 20, 30, 30))).isEqualTo(0.0);
    }
}
