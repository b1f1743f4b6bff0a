package io.imageworker.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the detector input is sized and tiled ({@link DetectorTiles}), without models. */
class DetectorTilesTest {

    static final int SIDE = 960;
    static final int MULTIPLE = 32;

    @Test
    void ordinaryImagesAreSeenWholeAsBefore() {
        int[][] sizes = {{640, 480}, {4000, 3000}, {420, 260}, {900, 100}, {2800, 1000}, {1000, 3000}, {4200, 2600}};
        for (int[] s : sizes) {
            DetectorTiles.Plan p = DetectorTiles.plan(s[0], s[1], SIDE, MULTIPLE);
            int[] whole = TextReader.detectorSize(s[0], s[1], SIDE, MULTIPLE);
            assertThat(p.tiles()).as("%dx%d", s[0], s[1]).isEqualTo(1);
            assertThat(new int[] {p.tileWidth(), p.tileHeight()}).as("%dx%d", s[0], s[1]).containsExactly(whole);
        }
    }

    @Test
    void theFieldStripIsTiledAtItsOwnHeightNot960x32() {
        // PaddleOCR's rule gives 960x32; here the 64 rows stay and the 2400 columns are cut in 3 tiles
        assertThat(TextReader.detectorSize(2400, 64, SIDE, MULTIPLE)).containsExactly(960, 32);
        DetectorTiles.Plan p = DetectorTiles.plan(2400, 64, SIDE, MULTIPLE);
        assertThat(p.horizontal()).isTrue();
        assertThat(p.width()).isEqualTo(2400);
        assertThat(p.height()).isEqualTo(64);
        assertThat(p.tileWidth()).isEqualTo(960);
        assertThat(p.starts()).containsExactly(0, 720, 1440);
        assertCovered(p);
    }

    @Test
    void thinStripsAreEnlargedTo64RowsKeepingTheirShape() {
        DetectorTiles.Plan p = DetectorTiles.plan(1200, 40, SIDE, MULTIPLE);
        assertThat(p.height()).isEqualTo(64);
        assertThat(p.width()).isEqualTo(1920); // the same factor, 1.6, along
        assertCovered(p);
    }

    @Test
    void tallRollsAreTiledDownTheirHeight() {
        DetectorTiles.Plan p = DetectorTiles.plan(300, 3000, SIDE, MULTIPLE);
        assertThat(p.horizontal()).isFalse();
        assertThat(p.width()).isEqualTo(320);
        assertThat(p.tileHeight()).isEqualTo(960);
        assertThat(p.tileWidth()).isEqualTo(320);
        assertThat(p.tiles()).isGreaterThanOrEqualTo(4);
        assertCovered(p);
    }

    @Test
    void wideStripsKeepAShortSideOfAThirdOfTheSideAndLongOnesAreBoundedInPixels() {
        // 6000x2000 is 3:1, seen whole; 9000x2000 keeps 320 rows (960 / 3), not 213
        assertThat(DetectorTiles.plan(6000, 2000, SIDE, MULTIPLE).tiles()).isEqualTo(1);
        DetectorTiles.Plan wide = DetectorTiles.plan(9000, 2000, SIDE, MULTIPLE);
        assertThat(wide.height()).isEqualTo(320);
        assertCovered(wide);
        DetectorTiles.Plan longStrip = DetectorTiles.plan(40000, 96, SIDE, MULTIPLE);
        double pixels = (double) longStrip.tiles() * longStrip.tileWidth() * longStrip.tileHeight();
        assertThat(pixels).isLessThanOrEqualTo(DetectorTiles.MAX_PIXELS * SIDE * SIDE);
        assertThat(longStrip.height()).isLessThan(96);
        assertCovered(longStrip);
    }

    @Test
    void stitchingTakesEachColumnFromTheTileWhoseCentreIsNearest() {
        DetectorTiles.Plan p = DetectorTiles.plan(2400, 64, SIDE, MULTIPLE);
        List<ProbabilityMap> maps = new ArrayList<>();
        for (int t = 0; t < p.tiles(); t++) {
            float[] v = new float[p.tileWidth() * p.tileHeight()];
            Arrays.fill(v, t);
            maps.add(new ProbabilityMap(v, p.tileHeight(), p.tileWidth()));
        }
        ProbabilityMap m = DetectorTiles.stitch(maps, p);
        assertThat(m.width()).isEqualTo(2400);
        assertThat(m.height()).isEqualTo(64);
        // centres at 480, 1200, 1920: the cuts fall half way, at 840 and 1560
        assertThat(m.values()[10 * 2400 + 839]).isEqualTo(0f);
        assertThat(m.values()[10 * 2400 + 841]).isEqualTo(1f);
        assertThat(m.values()[63 * 2400 + 1559]).isEqualTo(1f);
        assertThat(m.values()[0 * 2400 + 1561]).isEqualTo(2f);
        assertThat(m.values()[63 * 2400 + 2399]).isEqualTo(2f);
    }

    @Test
    void stitchingRefusesMapsThatDoNotFitThePlan() {
        DetectorTiles.Plan p = DetectorTiles.plan(2400, 64, SIDE, MULTIPLE);
        ProbabilityMap wrong = new ProbabilityMap(new float[32 * 960], 32, 960);
        assertThatThrownBy(() -> DetectorTiles.stitch(List.of(wrong, wrong, wrong), p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("960x32 map for a 960x64 tile");
        assertThatThrownBy(() -> DetectorTiles.stitch(List.of(wrong), p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 maps for 3 tiles");
    }

    /** Tiles of one size, in order, the first at 0, the last at the end, neighbours overlapping by at least 64 px. */
    static void assertCovered(DetectorTiles.Plan p) {
        int along = p.horizontal() ? p.width() : p.height();
        assertThat(p.tileLength() % MULTIPLE).isZero();
        assertThat((p.horizontal() ? p.height() : p.width()) % MULTIPLE).isZero();
        assertThat(p.starts().get(0)).isZero();
        assertThat(p.starts().get(p.tiles() - 1) + p.tileLength()).isEqualTo(along);
        for (int i = 1; i < p.tiles(); i++) {
            assertThat(p.starts().get(i - 1) + p.tileLength() - p.starts().get(i)).as("overlap of tiles %d and %d", i - 1, i)
                    .isGreaterThanOrEqualTo(2 * MULTIPLE);
        }
    }
}
