package io.imageworker.tasks.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Views of a photo and the merge of their detections, on hand-made model outputs. */
class FaceFinderTest {

    @Test
    void withoutTilingThereIsOneViewOfTheWholePhoto() {
        assertThat(FaceFinder.views(640, 480, 256, FaceFinder.Tiling.NONE, 1)).containsExactly(Letterbox.whole(640, 480, 256, 1));
    }

    @Test
    void tilesAreSquareOverlapAndCoverThePhoto() {
        List<Letterbox> views = FaceFinder.views(1200, 800, 256, new FaceFinder.Tiling(2, 0.25, Double.POSITIVE_INFINITY), 1);
        assertThat(views.get(0)).isEqualTo(Letterbox.whole(1200, 800, 256, 1));
        List<Letterbox> tiles = views.subList(1, views.size());
        // side 800 / 1.75 = 457.1 -> 458; 2 rows; columns: (1200 - 458) / (458 * 0.75) = 2.16 -> 3 + 1 = 4
        assertThat(tiles).hasSize(8);
        assertThat(tiles).allSatisfy(t -> {
            assertThat(t.cropWidth()).isEqualTo(458);
            assertThat(t.cropHeight()).isEqualTo(458);
            assertThat(t.cropX() + t.cropWidth()).isLessThanOrEqualTo(1200);
            assertThat(t.cropY() + t.cropHeight()).isLessThanOrEqualTo(800);
        });
        assertThat(tiles).extracting(Letterbox::cropX).containsExactly(0, 247, 495, 742, 0, 247, 495, 742);
        assertThat(tiles).extracting(Letterbox::cropY).containsExactly(0, 0, 0, 0, 342, 342, 342, 342);
        // neighbours share at least a quarter of a tile
        assertThat(458 - 247).isGreaterThanOrEqualTo((int) (0.25 * 458));
    }

    @Test
    void aPictureSmallerThanTheInputIsNotEnlargedUnlessAsked() {
        Letterbox digit = FaceFinder.views(28, 28, 256, FaceFinder.Tiling.NONE, 1).get(0);
        assertThat(digit.scale()).isEqualTo(1);
        assertThat(digit.drawnWidth()).isEqualTo(28);
        assertThat(digit.padX()).isEqualTo(114);
        Letterbox asked = FaceFinder.views(28, 28, 256, FaceFinder.Tiling.NONE, 4).get(0);
        assertThat(asked.scale()).isEqualTo(4);
        assertThat(asked.drawnWidth()).isEqualTo(112);
        // a photo larger than the input is shrunk to fit whatever the cap
        assertThat(FaceFinder.views(1024, 512, 256, FaceFinder.Tiling.NONE, 1).get(0).scale()).isEqualTo(0.25);
        assertThat(FaceFinder.views(28, 28, 256, FaceFinder.Tiling.NONE, Double.POSITIVE_INFINITY).get(0).scale())
                .isEqualTo(256 / 28.0);
    }

    @Test
    void noTilesWhenTheyWouldOnlyBeEnlarged() {
        // 640x427: a tile of 427 / 1.75 = 244 px is smaller than the 256 px input
        assertThat(FaceFinder.views(640, 427, 256, new FaceFinder.Tiling(2, 0.25, 24), 1)).hasSize(1);
        // at 128 px they add pixels: 4 columns ((640 - 244) / 183 = 2.2, rounded up, + 1) x 2 rows
        assertThat(FaceFinder.views(640, 427, 128, new FaceFinder.Tiling(2, 0.25, 24), 1)).hasSize(1 + 4 * 2);
    }

    @Test
    void tilesOnlyAddFacesThatAreSmallInTheWholeView() {
        List<Letterbox> views = List.of(Letterbox.whole(512, 256, 256), new Letterbox(0, 0, 256, 256, 256));
        BlazeFaceOutput whole = BlazeFaceDecoderTest.empty(256);
        BlazeFaceOutput tile = BlazeFaceDecoderTest.empty(256);
        // a 64 px face (32 px in the whole view, at scale 0.5) that only the tile sees
        BlazeFaceDecoderTest.put(tile, 2 * (16 * 5 + 7), 1f, 8f, 8f, 64f, 64f);
        assertThat(FaceFinder.merge(views, List.of(whole, tile), 512, 256, 40, 0.5, 0.3, 10)).hasSize(1);
        assertThat(FaceFinder.merge(views, List.of(whole, tile), 512, 256, 32, 0.5, 0.3, 10)).isEmpty();
        // the whole view's own detections are never dropped
        assertThat(FaceFinder.merge(views, List.of(tile, whole), 512, 256, 1, 0.5, 0.3, 10)).hasSize(1);
    }

    @Test
    void detectionsCutByAnInnerTileEdgeAreDropped() {
        Letterbox tile = new Letterbox(300, 0, 300, 300, 256); // photo 900x300: left and right edges are inner
        assertThat(FaceFinder.cutByTile(box(310, 100, 50, 50), tile, 900, 300)).isFalse();
        assertThat(FaceFinder.cutByTile(box(300, 100, 50, 50), tile, 900, 300)).isTrue(); // at the left edge
        assertThat(FaceFinder.cutByTile(box(560, 100, 40, 50), tile, 900, 300)).isTrue(); // at the right edge
        assertThat(FaceFinder.cutByTile(box(400, 0, 50, 50), tile, 900, 300)).isFalse(); // top edge is the photo's
        assertThat(FaceFinder.cutByTile(box(0, 0, 50, 50), Letterbox.whole(900, 300, 256), 900, 300)).isFalse();
    }

    static FaceDetection box(double x, double y, double w, double h) {
        return new FaceDetection(x, y, w, h, new double[12], 0.9);
    }

    @Test
    void mergeMapsEachViewBackAndAveragesTheSameFaceSeenTwice() {
        // photo 512x256; view 0: whole (scale 0.5, padY 64); view 1: tile (0, 0, 256, 256) at scale 1
        List<Letterbox> views = List.of(Letterbox.whole(512, 256, 256), new Letterbox(0, 0, 256, 256, 256));
        BlazeFaceOutput whole = BlazeFaceDecoderTest.empty(256);
        BlazeFaceOutput tile = BlazeFaceDecoderTest.empty(256);
        // face at photo (96..160, 64..128), centre (128, 96): in the whole view centre (64, 112), side 32;
        // 8x8 cell (1, 3) is centred at (48, 112): anchor 512 + 6 * 25, offset (16, 0)
        BlazeFaceDecoderTest.put(whole, 512 + 6 * 25, 2f, 16f, 0f, 32f, 32f);
        // in the tile view centre (128, 96), side 64; 16x16 cell (7, 5) is centred at (120, 88): offset (8, 8)
        BlazeFaceDecoderTest.put(tile, 2 * (16 * 5 + 7), 1f, 8f, 8f, 64f, 64f);
        // a second face only in the whole view, far right: photo (440..488, 100..148)
        // whole-view centre (232, 126): 16x16 cell (14, 7) centre (232, 120) + (0, 6)
        BlazeFaceDecoderTest.put(whole, 2 * (16 * 7 + 14), 3f, 0f, 6f, 24f, 24f);
        List<FaceDetection> faces = FaceFinder.merge(views, List.of(whole, tile), 512, 256, Double.POSITIVE_INFINITY, 0.5, 0.3, 10);
        assertThat(faces).hasSize(2);
        FaceDetection right = faces.get(0); // score sigmoid(3) first
        assertThat(right.x()).isCloseTo(440, within(1e-9));
        assertThat(right.y()).isCloseTo(100, within(1e-9));
        assertThat(right.width()).isCloseTo(48, within(1e-9));
        FaceDetection left = faces.get(1);
        // both views put it at photo (96, 64, 64, 64): the weighted mean is the same box
        assertThat(left.x()).isCloseTo(96, within(1e-9));
        assertThat(left.y()).isCloseTo(64, within(1e-9));
        assertThat(left.width()).isCloseTo(64, within(1e-9));
        assertThat(left.score()).isEqualTo(BlazeFaceDecoder.score(2f));
    }

    @Test
    void boxesAreClippedToThePhoto() {
        FaceDetection d = FaceFinder.clip(new FaceDetection(-10, 5, 50, 200, new double[12], 0.8), 100, 100);
        assertThat(d.x()).isZero();
        assertThat(d.width()).isEqualTo(40);
        assertThat(d.height()).isEqualTo(95);
    }
}
