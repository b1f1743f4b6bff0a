package io.imageworker.tasks.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** face-api's SSD decoding and its plain NMS on hand-made outputs. */
class SsdDecoderTest {

    /** An output whose every face logit is {@code -20} (score 2e-9) and every encoding 0. */
    static float[] empty() {
        float[] v = new float[SsdDecoder.VALUES];
        int offset = 0;
        for (BlazeFaceDecoder.Layer l : SsdDecoder.LAYERS) {
            for (int i = 0; i < l.anchors(); i++) {
                v[offset + 4 * l.anchors() + 3 * i + 1] = -20;
            }
            offset += 7 * l.anchors();
        }
        return v;
    }

    @Test
    void theAnchorsAreTheGeneratorsGrids() {
        float[] a = SsdDecoder.anchors();
        assertThat(a).hasSize(4 * 5118);
        assertThat(SsdDecoder.ANCHORS).isEqualTo(32 * 32 * 3 + (16 * 16 + 8 * 8 + 4 * 4 + 2 * 2 + 1) * 6);
        // the first map's first cell: scale 0.1 square, then 0.2 at aspect ratios 2 and 1/2, centred at 0.5 / 32
        assertThat(a[0]).isCloseTo(0.5f / 32 - 0.05f, within(1e-6f));
        assertThat(a[4 + 3] - a[4 + 1]).as("width of 0.2 at aspect 2").isCloseTo((float) (0.2 * Math.sqrt(2)), within(1e-6f));
        assertThat(a[8 + 2] - a[8]).as("height of 0.2 at aspect 1/2").isCloseTo((float) (0.2 * Math.sqrt(2)), within(1e-6f));
        // the last map: one cell at the centre, its second anchor the geometric mean of 0.95 and 1.0
        int last = 4 * (SsdDecoder.ANCHORS - 6);
        assertThat(a[last + 4 + 2] - a[last + 4]).isCloseTo((float) Math.sqrt(0.95), within(1e-6f));
        assertThat((a[last] + a[last + 2]) / 2).isCloseTo(0.5f, within(1e-6f));
    }

    @Test
    void zeroEncodingsGiveTheAnchorAndScalesMoveIt() {
        float[] v = empty();
        // the 2x2 map (the fifth): its anchors follow 3072 + 1536 + 384 + 96 others; take cell (1, 0), anchor 0
        int map = 4;
        int offset = 0;
        int before = 0;
        for (int l = 0; l < map; l++) {
            offset += 7 * SsdDecoder.LAYERS.get(l).anchors();
            before += SsdDecoder.LAYERS.get(l).anchors();
        }
        int n = SsdDecoder.LAYERS.get(map).anchors();
        int i = (1 * 2 + 0) * 6; // row 1, column 0, anchor 0
        v[offset + 4 * n + 3 * i + 1] = 0; // score 0.5
        List<FaceDetection> found = SsdDecoder.decode(new SsdOutput(v), 0.4);
        assertThat(found).hasSize(1);
        float[] a = SsdDecoder.anchors();
        int k = 4 * (before + i);
        FaceDetection d = found.get(0);
        assertThat(d.score()).isCloseTo(0.5, within(1e-12));
        assertThat(d.hasKeypoints()).isFalse();
        assertThat(d.y()).isCloseTo(a[k], within(1e-6));
        assertThat(d.x()).isCloseTo(a[k + 1], within(1e-6));
        assertThat(d.y1()).isCloseTo(a[k + 2], within(1e-6));
        assertThat((d.y() + d.y1()) / 2).as("row 1 of 2").isCloseTo(0.75, within(1e-6));
        assertThat((d.x() + d.x1()) / 2).as("column 0 of 2").isCloseTo(0.25, within(1e-6));

        // ty = 10 moves the centre down by one anchor height; th = 5 * ln 2 doubles the height
        double h = a[k + 2] - a[k];
        v[offset + 4 * i] = 10;
        v[offset + 4 * i + 2] = (float) (5 * Math.log(2));
        FaceDetection moved = SsdDecoder.decode(new SsdOutput(v), 0.4).get(0);
        assertThat((moved.y() + moved.y1()) / 2).isCloseTo(0.75 + h, within(1e-5));
        assertThat(moved.height()).isCloseTo(2 * h, within(1e-5));
        assertThat(moved.width()).isCloseTo(a[k + 3] - a[k + 1], within(1e-6));
    }

    @Test
    void theBackgroundLogitIsNotTheScore() {
        float[] v = empty();
        v[4 * 3072] = 50; // the first anchor's background logit: no face for it
        assertThat(SsdDecoder.decode(new SsdOutput(v), 0.01)).isEmpty();
        assertThatThrownBy(() -> new SsdOutput(new float[10])).hasMessageContaining("35826");
    }

    @Test
    void plainNmsKeepsOneAnchorsBoxAboveTheThreshold() {
        FaceDetection a = new FaceDetection(0, 0, 10, 10, FaceDetection.NO_KEYPOINTS, 0.9);
        FaceDetection b = new FaceDetection(2, 0, 10, 10, FaceDetection.NO_KEYPOINTS, 0.95); // IoU 0.667 with a
        FaceDetection c = new FaceDetection(6, 0, 10, 10, FaceDetection.NO_KEYPOINTS, 0.8); // IoU 0.25 with a, 0.47 with b
        FaceDetection far = new FaceDetection(50, 50, 10, 10, FaceDetection.NO_KEYPOINTS, 0.6);
        assertThat(HardNms.apply(List.of(a, b, c, far), 0.5, 10)).containsExactly(b, c, far);
        assertThat(HardNms.apply(List.of(a, b, c, far), 0.2, 10)).containsExactly(b, far);
        assertThat(HardNms.apply(List.of(a, b, c, far), 0.5, 2)).containsExactly(b, c);
        assertThat(new SsdOutput(empty()).merge(List.of(a, b), 0.5, 10)).containsExactly(b);
    }
}
