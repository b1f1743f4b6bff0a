package io.imageworker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The cost of 1,000 images from a CPU time per image and a vCPU-hour price. */
class CostTableTest {

    @Test
    void anHourOfCpuPerThousandImagesCostsTheHourlyPrice() {
        // 3.6 CPU-seconds an image: 1,000 images are one vCPU-hour
        assertThat(CostTable.per1000(3.6, 0.05)).isCloseTo(0.05, within(1e-12));
        assertThat(CostTable.per1000(0.23, CostTable.DEFAULT_VCPU_HOUR_PRICE)).isCloseTo(0.23 / 3.6 * 0.0504, within(1e-12));
        assertThat(CostTable.per1000(0, 1)).isZero();
    }

    @Test
    void theComparisonNamesTheMatchingCloudVisionFeatureAndTheRatio() {
        // 0.36 s an image at $0.05 a vCPU-hour: $0.005 per 1,000, 1/300 of $1.50
        assertThat(CostTable.compare("text", 0.36, 0.05)).isEqualTo(
                "$0.00500 per 1,000 (1/300 of Cloud Vision TEXT_DETECTION's $1.50)");
        assertThat(CostTable.compare("segment", 0.36, 0.05)).isEqualTo("$0.00500 per 1,000");
    }

    @Test
    void refusesWhatIsNoMeasurement() {
        assertThatThrownBy(() -> CostTable.per1000(Double.NaN, 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CostTable.per1000(0.1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CostTable.per1000(Double.POSITIVE_INFINITY, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
