package io.imageworker.tasks.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Views of a photo and the merge of their detections, on hand-made model outputs. */
class FaceFinderTest {

    static final io.imageworker.imaging.Preprocessor.Spec SPEC = new io.imageworker.imaging.Preprocessor.Spec(256, 256, 3,
            new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}, false);

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

    @Test
    void aPyramidTilesNearSquarePhotosOnBothAxesDownToTheFinestScale() {
        // the Solvay photo's shape: the single level made 2 x 3 tiles of 530 px (scale 0.48); the pyramid
        // goes from the whole view (scale 0.2) to 0.4 (tiles of 640) and 0.8 (320) and ends at 1 (256)
        FaceFinder.Tiling t = FaceFinder.Tiling.pyramid(0.25, 32, 2, 1, 1000);
        List<Letterbox> views = FaceFinder.views(1280, 926, 256, t, 1);
        assertThat(views.get(0)).isEqualTo(Letterbox.whole(1280, 926, 256, 1));
        List<Letterbox> tiles = views.subList(1, views.size());
        assertThat(tiles).extracting(Letterbox::cropWidth).containsOnly(640, 320, 256);
        assertThat(tiles).allSatisfy(v -> assertThat(v.cropWidth()).isEqualTo(v.cropHeight()));
        for (int side : new int[] {640, 320, 256}) {
            List<Letterbox> level = tiles.stream().filter(v -> v.cropWidth() == side).toList();
            // both axes: more than one row and more than one column, every pixel covered, neighbours overlapping
            assertThat(level.stream().map(Letterbox::cropY).distinct().count()).isGreaterThan(1);
            assertThat(level.stream().map(Letterbox::cropX).distinct().count()).isGreaterThan(1);
            assertThat(level).anySatisfy(v -> assertThat(v.cropX() + side).isEqualTo(1280));
            assertThat(level).anySatisfy(v -> assertThat(v.cropY() + side).isEqualTo(926));
            List<Integer> xs = level.stream().map(Letterbox::cropX).distinct().sorted().toList();
            for (int i = 1; i < xs.size(); i++) {
                assertThat(xs.get(i - 1) + side - xs.get(i)).isGreaterThanOrEqualTo((int) (0.25 * side));
            }
        }
        // 640: 3 x 2; 320: 5 x 4; 256: 7 x 5
        assertThat(tiles).hasSize(6 + 20 + 35);
        // a 40 px face is 8 px in the whole view and 40 px in the finest tiles
        assertThat(tiles.get(tiles.size() - 1).scale()).isEqualTo(1.0);
    }

    @Test
    void aPyramidOverItsTileBudgetIsReadCoarser() {
        FaceFinder.Tiling t = FaceFinder.Tiling.pyramid(0.25, 32, 2, 1, 30);
        List<Letterbox> views = FaceFinder.views(1280, 926, 256, t, 1);
        assertThat(views.size() - 1).isBetween(1, 30);
        double finest = views.stream().skip(1).mapToDouble(Letterbox::scale).max().orElseThrow();
        assertThat(finest).isLessThan(1).isGreaterThan(0.4);
        // a photo no larger than the input needs no tiles at all
        assertThat(FaceFinder.views(256, 200, 256, t, 1)).hasSize(1);
        // with finest above 1 the tiles enlarge the photo's pixels
        assertThat(FaceFinder.views(640, 480, 256, FaceFinder.Tiling.pyramid(0.25, 32, 2, 2, 1000), 1).stream()
                .mapToDouble(Letterbox::scale).max().orElseThrow()).isEqualTo(2.0);
    }

    @Test
    void aPyramidLevelAddsOnlyFacesTheLevelBeforeSeesSmall() {
        // photo 1024x1024: whole view at 0.25, a level at 0.5 (tiles of 512) and one at 1 (tiles of 256)
        List<Letterbox> views = List.of(Letterbox.whole(1024, 1024, 256), new Letterbox(0, 0, 512, 512, 256),
                new Letterbox(0, 0, 256, 256, 256));
        assertThat(FaceFinder.coarserScale(views, 1.0)).isEqualTo(0.5);
        assertThat(FaceFinder.coarserScale(views, 0.5)).isEqualTo(0.25);
        BlazeFaceOutput whole = BlazeFaceDecoderTest.empty(256);
        BlazeFaceOutput mid = BlazeFaceDecoderTest.empty(256);
        BlazeFaceOutput fine = BlazeFaceDecoderTest.empty(256);
        // the finest tile sees a 64 px face (64 px in the photo, 32 px at the level before): dropped at maxFace 32, kept at 40
        BlazeFaceDecoderTest.put(fine, 2 * (16 * 5 + 7), 1f, 8f, 8f, 64f, 64f);
        assertThat(FaceFinder.merge(views, List.of(whole, mid, fine), 1024, 1024, 32, 0.5, 0.3, 10)).isEmpty();
        assertThat(FaceFinder.merge(views, List.of(whole, mid, fine), 1024, 1024, 40, 0.5, 0.3, 10)).hasSize(1);
    }

    @Test
    void aBoxOfNoSizeIsNoFace() {
        List<Letterbox> views = List.of(Letterbox.whole(256, 256, 256));
        BlazeFaceOutput out = BlazeFaceDecoderTest.empty(256);
        BlazeFaceDecoderTest.put(out, 2 * (16 * 5 + 7), 3f, 0f, 0f, -3f, -3f);
        assertThat(FaceFinder.merge(views, List.of(out), 256, 256, 32, 0.5, 0.3, 10)).isEmpty();
        BlazeFaceDecoderTest.put(out, 2 * (16 * 5 + 7), 3f, 0f, 0f, 30f, 30f);
        assertThat(FaceFinder.merge(views, List.of(out), 256, 256, 32, 0.5, 0.3, 10)).hasSize(1);
    }

    @Test
    void viewsGoToTheModelAFewAtATimeAndComeBackInOrder() {
        java.awt.image.BufferedImage photo = new java.awt.image.BufferedImage(1280, 926, java.awt.image.BufferedImage.TYPE_INT_RGB);
        List<Letterbox> views = FaceFinder.views(1280, 926, 256, FaceFinder.Tiling.pyramid(0.25, 32, 2, 1, 1000), 1);
        java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.concurrent.CompletableFuture<FaceDetectorOutput>> pending = new java.util.ArrayList<>();
        List<BlazeFaceOutput> made = new java.util.ArrayList<>();
        var result = FaceFinder.run(photo, views, SPEC, t -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            var f = new java.util.concurrent.CompletableFuture<FaceDetectorOutput>();
            pending.add(f);
            return f;
        }, Runnable::run);
        // answer the calls one by one, as a model would
        for (int i = 0; i < views.size(); i++) {
            BlazeFaceOutput o = BlazeFaceDecoderTest.empty(256);
            made.add(o);
            inFlight.decrementAndGet();
            pending.get(i).complete(o);
        }
        assertThat(result).isCompleted();
        assertThat(result.join()).containsExactlyElementsOf(made);
        assertThat(most.get()).isEqualTo(FaceFinder.IN_FLIGHT);
        // a failed call fails the photo
        var failed = FaceFinder.run(photo, views, SPEC,
                t -> java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("model gone")), Runnable::run);
        assertThat(failed).isCompletedExceptionally();
    }
}
