package io.imageworker.tasks.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** MediaPipe's weighted NMS on hand-made detections. */
class WeightedNmsTest {

    static FaceDetection face(double x, double y, double w, double h, double score) {
        double[] kp = new double[12];
        for (int k = 0; k < 6; k++) {
            kp[2 * k] = x + k;
            kp[2 * k + 1] = y + 2 * k;
        }
        return new FaceDetection(x, y, w, h, kp, score);
    }

    @Test
    void overlappingDetectionsAreAveragedByScoreAndKeepTheTopScore() {
        FaceDetection a = face(0, 0, 10, 10, 0.9);
        FaceDetection b = face(2, 0, 10, 10, 0.6); // IoU 80 / 120 = 0.667
        List<FaceDetection> out = WeightedNms.apply(List.of(b, a), 0.3, 10);
        assertThat(out).hasSize(1);
        FaceDetection m = out.get(0);
        assertThat(m.score()).isEqualTo(0.9);
        assertThat(m.x()).isCloseTo((0.9 * 0 + 0.6 * 2) / 1.5, within(1e-12)); // 0.8
        assertThat(m.width()).isCloseTo(10, within(1e-12));
        assertThat(m.keypointX(2)).isCloseTo((0.9 * 2 + 0.6 * 4) / 1.5, within(1e-12)); // 2.8
        assertThat(m.keypointY(2)).isCloseTo(4, within(1e-12));
    }

    @Test
    void separateFacesStaySeparateHighestScoreFirst() {
        FaceDetection a = face(0, 0, 10, 10, 0.8);
        FaceDetection b = face(20, 0, 10, 10, 0.95);
        FaceDetection c = face(6, 0, 10, 10, 0.7); // IoU with a: 40 / 160 = 0.25, not above 0.3
        List<FaceDetection> out = WeightedNms.apply(List.of(a, b, c), 0.3, 10);
        assertThat(out).extracting(FaceDetection::score).containsExactly(0.95, 0.8, 0.7);
        assertThat(out.get(1).x()).isEqualTo(0);
    }

    @Test
    void mergingNeedsAnIouAboveTheThreshold() {
        FaceDetection a = face(0, 0, 10, 10, 0.9);
        FaceDetection b = face(5, 0, 10, 10, 0.8); // IoU 50 / 150 = 1/3
        assertThat(WeightedNms.apply(List.of(a, b), 1 / 3.0, 10)).hasSize(2);
        assertThat(WeightedNms.apply(List.of(a, b), 0.33, 10)).hasSize(1);
    }

    @Test
    void maxResultsKeepsTheBest() {
        List<FaceDetection> in = List.of(face(0, 0, 5, 5, 0.5), face(10, 0, 5, 5, 0.9), face(20, 0, 5, 5, 0.7));
        assertThat(WeightedNms.apply(in, 0.3, 2)).extracting(FaceDetection::score).containsExactly(0.9, 0.7);
        assertThat(WeightedNms.apply(List.of(), 0.3, 2)).isEmpty();
    }
}
