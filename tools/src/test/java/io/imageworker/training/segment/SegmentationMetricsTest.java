package io.imageworker.training.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SegmentationMetricsTest {

    @Test
    void handMadeCase() {
        // truth:     0 0 1 1 2 2
        // predicted: 0 1 1 1 2 0
        SegmentationMetrics m = new SegmentationMetrics(3);
        m.add(new byte[] {0, 0, 1, 1, 2, 2}, new int[] {0, 1, 1, 1, 2, 0});
        // class 0: tp 1, fp 1 (pixel 5), fn 1 (pixel 1) -> 1/3
        assertThat(m.iou(0)).isCloseTo(1 / 3.0, within(1e-12));
        // class 1: tp 2, fp 1, fn 0 -> 2/3
        assertThat(m.iou(1)).isCloseTo(2 / 3.0, within(1e-12));
        // class 2: tp 1, fp 0, fn 1 -> 1/2
        assertThat(m.iou(2)).isCloseTo(0.5, within(1e-12));
        assertThat(m.meanIou()).isCloseTo((1 / 3.0 + 2 / 3.0 + 0.5) / 3, within(1e-12));
        assertThat(m.pixelAccuracy()).isCloseTo(4 / 6.0, within(1e-12));
        // foreground: truth fg at 2..5, predicted fg at 1..4 -> tp 3, fp 1, fn 1
        assertThat(m.foregroundIou()).isCloseTo(3 / 5.0, within(1e-12));
    }

    @Test
    void perfectPredictionScoresOneAndAbsentClassesAreLeftOut() {
        SegmentationMetrics m = new SegmentationMetrics(11);
        byte[] truth = {0, 3, 3, 0};
        m.add(truth, new int[] {0, 3, 3, 0});
        assertThat(m.iou(5)).isNaN();
        assertThat(m.meanIou()).isEqualTo(1.0);
        assertThat(m.pixelAccuracy()).isEqualTo(1.0);
    }

    @Test
    void countsAccumulateOverImages() {
        SegmentationMetrics m = new SegmentationMetrics(2);
        m.add(new byte[] {1, 1}, new int[] {1, 1});
        m.add(new byte[] {1, 0}, new int[] {0, 0});
        // class 1: tp 2, fn 1 -> 2/3; class 0: tp 1, fp 1 -> 1/2
        assertThat(m.iou(1)).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(m.iou(0)).isCloseTo(0.5, within(1e-12));
    }
}
