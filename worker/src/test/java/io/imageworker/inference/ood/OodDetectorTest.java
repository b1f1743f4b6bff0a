package io.imageworker.inference.ood;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OodDetectorTest {

    @TempDir
    Path dir;

    /** A 28x28 plane with a filled square of {@code side} pixels at (x, y). */
    static float[] square(int x, int y, int side) {
        float[] p = new float[28 * 28];
        for (int r = y; r < y + side; r++) {
            for (int c = x; c < x + side; c++) {
                p[r * 28 + c] = 1f;
            }
        }
        return p;
    }

    @Test
    void inputStatisticsSeeFramesInkAndCentres() {
        InputStats centred = InputStats.of(square(9, 9, 10), 28, 28);
        assertThat(centred.border()).isZero();
        assertThat(centred.ink()).isCloseTo(100 / 784.0, within(1e-9));
        assertThat(centred.midtones()).isZero();
        assertThat(centred.offCentre()).isCloseTo(0, within(1e-9));

        InputStats corner = InputStats.of(square(0, 0, 10), 28, 28);
        assertThat(corner.border()).isGreaterThan(0.1);
        assertThat(corner.offCentre()).isGreaterThan(0.3);

        float[] grey = new float[28 * 28];
        java.util.Arrays.fill(grey, 0.5f);
        InputStats flat = InputStats.of(grey, 28, 28);
        assertThat(flat.border()).isCloseTo(0.5, within(1e-6));
        assertThat(flat.midtones()).isEqualTo(1.0);
        assertThat(InputStats.of(new float[28 * 28], 28, 28).offCentre()).isZero();
    }

    @Test
    void theScoreIsTheLargestComponentOverItsCut() {
        OodDetector d = new OodDetector("input-statistics", Map.of("border", 0.05, "midtones", 0.2), Map.of("ink", 0.02),
                Double.NaN, null);
        assertThat(d.needsFeatures()).isFalse();

        OodDetector.Verdict digitLike = d.judge(new InputStats(0.01, 0.1, 0.05, 0.01), null);
        assertThat(digitLike.outOfDistribution()).isFalse();
        assertThat(digitLike.score()).isCloseTo(0.25, within(1e-9)); // midtones 0.05 / 0.2
        assertThat(digitLike.reasons()).isEmpty();

        OodDetector.Verdict framed = d.judge(new InputStats(0.5, 0.3, 0.1, 0.01), null);
        assertThat(framed.outOfDistribution()).isTrue();
        assertThat(framed.score()).isCloseTo(10, within(1e-9));
        assertThat(framed.reasons()).containsExactly("border");

        OodDetector.Verdict blank = d.judge(new InputStats(0, 0, 0, 0), null);
        assertThat(blank.outOfDistribution()).isTrue();
        assertThat(blank.reasons()).containsExactly("ink");
        assertThat(blank.score()).isFinite();
    }

    @Test
    void theMahalanobisComponentReadsItsParametersFromTheModelFolder() throws Exception {
        double[][] means = {{0, 0}, {10, 0}};
        double[][] precision = {{1, 0}, {0, 4}};
        OodDetector.writeParameters(dir.resolve("p.bin"), means, precision);
        Map<String, Object> options = Map.of(OodDetector.OPTION, Map.of("method", "input-statistics+mahalanobis",
                "inputStatistics", Map.of("border", Map.of("max", 0.05)),
                "mahalanobis", Map.of("max", 4.0, "parameters", "p.bin")));
        OodDetector d = OodDetector.fromCard(options, dir);
        assertThat(d.needsFeatures()).isTrue();
        assertThat(d.method()).isEqualTo("input-statistics+mahalanobis");
        InputStats clean = new InputStats(0, 0.1, 0.05, 0.01);
        // nearest class is 1: (9.5-10)^2 * 1 + 0.5^2 * 4 = 1.25, over the cut 4
        assertThat(d.judge(clean, new float[] {9.5f, 0.5f}).components().get("mahalanobis")).isCloseTo(1.25 / 4, within(1e-6));
        OodDetector.Verdict far = d.judge(clean, new float[] {5f, 3f});
        assertThat(far.outOfDistribution()).isTrue();
        assertThat(far.reasons()).containsExactly("mahalanobis");
        assertThatThrownBy(() -> d.judge(clean, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(OodDetector.fromCard(Map.of(), dir)).isNull();
    }

    @Test
    void theProbeComponentIsItsOddsOverTheCutAndReadsItsFileFromTheModelFolder() throws Exception {
        // log-odds = 1 + 2 * (f0 - 1) * 0.5 - 1 * (f1 - 0) * 1 = f0 - f1
        FeatureProbe probe = new FeatureProbe(new double[] {1, 0}, new double[] {0.5, 1}, new double[] {2, -1}, 1);
        probe.write(dir.resolve("probe.bin"));
        FeatureProbe read = FeatureProbe.read(dir.resolve("probe.bin"));
        assertThat(read.logit(new float[] {3f, 1f})).isCloseTo(2.0, within(1e-12));
        Map<String, Object> options = Map.of(OodDetector.OPTION, Map.of("method", "input-statistics+probe",
                "inputStatistics", Map.of("border", Map.of("max", 0.05)),
                "probe", Map.of("max", Math.exp(1), "parameters", "probe.bin")));
        OodDetector d = OodDetector.fromCard(options, dir);
        assertThat(d.needsFeatures()).isTrue();
        InputStats clean = new InputStats(0, 0.1, 0.05, 0.01);
        // log-odds 0.5 against the cut's 1: odds ratio exp(-0.5)
        assertThat(d.judge(clean, new float[] {1.5f, 1f}).components().get("probe")).isCloseTo(Math.exp(-0.5), within(1e-9));
        OodDetector.Verdict letter = d.judge(clean, new float[] {4f, 1f});
        assertThat(letter.outOfDistribution()).isTrue();
        assertThat(letter.reasons()).containsExactly("probe");
        assertThat(d.judge(clean, new float[] {400f, 0f}).score()).isFinite().isLessThanOrEqualTo(1000);

        java.nio.file.Files.write(dir.resolve("short.bin"), new byte[] {0, 0, 0, 2, 1});
        assertThatThrownBy(() -> OodDetector.fromCard(Map.of(OodDetector.OPTION, Map.of("probe",
                Map.of("max", 2.0, "parameters", "short.bin"))), dir)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("cut short");
        assertThatThrownBy(() -> OodDetector.fromCard(Map.of(OodDetector.OPTION, Map.of("probe",
                Map.of("max", 2.0, "parameters", "../probe.bin"))), dir)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> OodDetector.fromCard(Map.of(OodDetector.OPTION, Map.of("probe",
                Map.of("max", 2.0, "parameters", "ood-probe.bin"))), dir)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("names ood-probe.bin, which the model's folder lacks");
    }

    @Test
    void scoresFollowTheirPapers() {
        float[] z = {2f, 0f, 0f};
        double lse = Math.log(Math.exp(2) + 2);
        assertThat(OodScores.logSumExp(z)).isCloseTo(lse, within(1e-9));
        assertThat(OodScores.energy(z)).isCloseTo(-lse, within(1e-9));
        assertThat(OodScores.oneMinusMaxSoftmax(z)).isCloseTo(1 - Math.exp(2) / (Math.exp(2) + 2), within(1e-9));
    }
}
