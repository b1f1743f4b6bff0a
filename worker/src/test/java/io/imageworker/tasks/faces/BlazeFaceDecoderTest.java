package io.imageworker.tasks.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Anchor layout and box decoding against hand-made outputs. */
class BlazeFaceDecoderTest {

    /** All logits very negative (score ~0), boxes zero. */
    static BlazeFaceOutput empty(int size) {
        float[] logits = new float[BlazeFaceDecoder.ANCHORS];
        java.util.Arrays.fill(logits, -50f);
        return new BlazeFaceOutput(logits, new float[BlazeFaceDecoder.ANCHORS * BlazeFaceDecoder.VALUES], size);
    }

    /** Sets anchor {@code i}'s logit and its 16 box values. */
    static void put(BlazeFaceOutput out, int i, float logit, float... box) {
        out.logits()[i] = logit;
        System.arraycopy(box, 0, out.boxes(), i * BlazeFaceDecoder.VALUES, box.length);
    }

    @Test
    void anchorsFollowTheTwoGridsRowMajorWithTheAnchorsOfACellAdjacent() {
        double[] c = BlazeFaceDecoder.anchorCentres();
        assertThat(c).hasSize(2 * 896);
        // 16x16 grid, 2 anchors per cell: anchors 0 and 1 share cell (0, 0), anchor 2 is cell (1, 0)
        assertThat(new double[] {c[0], c[1], c[2], c[3], c[4], c[5]})
                .containsExactly(1 / 32.0, 1 / 32.0, 1 / 32.0, 1 / 32.0, 3 / 32.0, 1 / 32.0);
        // anchor 32 = 16 cells x 2 anchors later: first cell of the second row
        assertThat(new double[] {c[64], c[65]}).containsExactly(1 / 32.0, 3 / 32.0);
        // anchor 511: last of the 16x16 grid, cell (15, 15)
        assertThat(new double[] {c[1022], c[1023]}).containsExactly(31 / 32.0, 31 / 32.0);
        // anchors 512..517 share the first 8x8 cell; 518 is its right neighbour
        assertThat(new double[] {c[1024], c[1025], c[2 * 517], c[2 * 517 + 1], c[2 * 518], c[2 * 518 + 1]})
                .containsExactly(1 / 16.0, 1 / 16.0, 1 / 16.0, 1 / 16.0, 3 / 16.0, 1 / 16.0);
        assertThat(new double[] {c[2 * 895], c[2 * 895 + 1]}).containsExactly(15 / 16.0, 15 / 16.0);
    }

    @Test
    void scoreIsTheSigmoidOfTheClippedLogit() {
        assertThat(BlazeFaceDecoder.score(0f)).isEqualTo(0.5);
        assertThat(BlazeFaceDecoder.score(2f)).isCloseTo(1 / (1 + Math.exp(-2)), within(1e-12));
        assertThat(BlazeFaceDecoder.score(-1000f)).isEqualTo(1 / (1 + Math.exp(100)));
        assertThat(BlazeFaceDecoder.score(-1000f)).isGreaterThan(0);
    }

    @Test
    void boxAndKeypointsAreOffsetsFromTheAnchorCentreInInputPixels() {
        BlazeFaceOutput out = empty(256);
        // anchor 2 * (16 * 3 + 5) = 106: cell (5, 3) of the 16x16 grid, centre (5.5/16, 3.5/16) = (88, 56) px
        put(out, 106, 3f, 8f, -4f, 32f, 48f, -10f, -12f, 10f, -12f, 0f, 0f, 0f, 12f, -16f, -2f, 16f, -2f);
        List<FaceDetection> found = BlazeFaceDecoder.decode(out, 0.5);
        assertThat(found).hasSize(1);
        FaceDetection d = found.get(0);
        // centre (96, 52) px, size 32 x 48 px: corner (80, 28)
        assertThat(d.x() * 256).isCloseTo(80, within(1e-9));
        assertThat(d.y() * 256).isCloseTo(28, within(1e-9));
        assertThat(d.width() * 256).isCloseTo(32, within(1e-9));
        assertThat(d.height() * 256).isCloseTo(48, within(1e-9));
        assertThat(d.keypointX(0) * 256).isCloseTo(78, within(1e-9)); // right eye: 88 - 10
        assertThat(d.keypointY(0) * 256).isCloseTo(44, within(1e-9)); // 56 - 12
        assertThat(d.keypointX(3) * 256).isCloseTo(88, within(1e-9)); // mouth: on the centre x
        assertThat(d.keypointY(3) * 256).isCloseTo(68, within(1e-9));
        assertThat(d.keypointX(5) * 256).isCloseTo(104, within(1e-9)); // left ear
        assertThat(d.score()).isCloseTo(1 / (1 + Math.exp(-3)), within(1e-12));
    }

    @Test
    void secondGridAnchorsUseTheirOwnCellsAndTheInputSizeScales() {
        BlazeFaceOutput out = empty(128);
        // anchor 512 + 6 * (8 * 7 + 2) + 4 = 864: cell (2, 7) of the 8x8 grid, centre (2.5/8, 7.5/8)
        put(out, 864, 5f, 0f, 0f, 16f, 16f);
        FaceDetection d = BlazeFaceDecoder.decode(out, 0.5).get(0);
        assertThat(d.x() + d.width() / 2).isCloseTo(2.5 / 8, within(1e-9));
        assertThat(d.y() + d.height() / 2).isCloseTo(7.5 / 8, within(1e-9));
        assertThat(d.width()).isCloseTo(16 / 128.0, within(1e-9));
    }

    @Test
    void anchorsBelowTheMinimumScoreAreLeftOut() {
        BlazeFaceOutput out = empty(256);
        put(out, 10, 1f); // 0.731
        put(out, 20, 2f); // 0.881
        assertThat(BlazeFaceDecoder.decode(out, 0.75)).extracting(FaceDetection::score)
                .containsExactly(BlazeFaceDecoder.score(2f));
        assertThat(BlazeFaceDecoder.decode(out, 0.7)).hasSize(2);
        assertThat(BlazeFaceDecoder.decode(out, 0.0)).hasSize(896);
    }
}
