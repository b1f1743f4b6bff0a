package io.imageworker.tasks.safesearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imageworker.tasks.Likelihood;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mapping from nsfwjs's five class probabilities to Cloud Vision's likelihoods. */
class SafeSearchMappingTest {

    static final List<String> NSFWJS = List.of("drawing", "hentai", "neutral", "porn", "sexy");
    final SafeSearchMapping mapping = SafeSearchMapping.of(NSFWJS, SafeSearchMapping.DEFAULT_THRESHOLDS);

    @Test
    void adultIsPornPlusHentaiAndRacyAddsSexy() {
        float[] p = {0.1f, 0.05f, 0.6f, 0.1f, 0.15f};
        assertThat(mapping.adult(p)).isCloseTo(0.15, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(mapping.racy(p)).isCloseTo(0.30, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(mapping.likelihood(mapping.adult(p))).isEqualTo(Likelihood.UNLIKELY);
        assertThat(mapping.likelihood(mapping.racy(p))).isEqualTo(Likelihood.POSSIBLE);
    }

    @Test
    void eachThresholdStartsTheNextLikelihood() {
        assertThat(mapping.likelihood(0)).isEqualTo(Likelihood.VERY_UNLIKELY);
        assertThat(mapping.likelihood(0.0499)).isEqualTo(Likelihood.VERY_UNLIKELY);
        assertThat(mapping.likelihood(0.05)).isEqualTo(Likelihood.UNLIKELY);
        assertThat(mapping.likelihood(0.2)).isEqualTo(Likelihood.POSSIBLE);
        assertThat(mapping.likelihood(0.5)).isEqualTo(Likelihood.LIKELY);
        assertThat(mapping.likelihood(0.8)).isEqualTo(Likelihood.VERY_LIKELY);
        assertThat(mapping.likelihood(1)).isEqualTo(Likelihood.VERY_LIKELY);
        SafeSearchMapping strict = SafeSearchMapping.of(NSFWJS, new double[] {0.01, 0.02, 0.03, 0.04});
        assertThat(strict.likelihood(0.035)).isEqualTo(Likelihood.LIKELY);
    }

    @Test
    void theLabelsAreFoundByNameInAnyOrder() {
        SafeSearchMapping other = SafeSearchMapping.of(List.of("sexy", "porn", "neutral", "hentai", "drawing"),
                SafeSearchMapping.DEFAULT_THRESHOLDS);
        float[] p = {0.5f, 0.3f, 0.1f, 0.1f, 0f};
        assertThat(other.adult(p)).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(other.racy(p)).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void badThresholdsAndAModelWithoutTheClassesAreRefused() {
        assertThatThrownBy(() -> SafeSearchMapping.of(NSFWJS, new double[] {0.2, 0.1, 0.5, 0.8}))
                .hasMessageContaining("increase");
        assertThatThrownBy(() -> SafeSearchMapping.of(NSFWJS, new double[] {0.1, 0.2, 0.5}))
                .hasMessageContaining("four numbers");
        assertThatThrownBy(() -> SafeSearchMapping.of(NSFWJS, new double[] {0, 0.2, 0.5, 0.8}))
                .hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> SafeSearchMapping.of(List.of("0", "1", "2"), SafeSearchMapping.DEFAULT_THRESHOLDS))
                .hasMessageContaining("has no class 'porn'");
    }
}
