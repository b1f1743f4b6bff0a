package io.imageworker.tasks.safesearch;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.ModelRepository;
import io.imageworker.training.safesearch.SafeSearchEvaluation;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The imported nsfwjs MobileNetV2 that ships with the worker against the original: on the 26
 * neutral photos and drawings of the parity set, every class probability within 1e-3 of what
 * nsfwjs 4.4.0 gives in TF.js (recorded by deploy/tfjs-parity/parity.js), and every image
 * VERY_UNLIKELY or UNLIKELY adult.
 */
class SafeSearchParityTest {

    @Test
    void theImportedMobileNetV2GivesTheOriginalsProbabilities() throws Exception {
        ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("safe-search-parity"));
        List<SafeSearchEvaluation.Scored> scored;
        try (LoadedModel model = ModelLoader.load(repo.resolve("nsfwjs-mobilenet-v2").dir(), Device.cpu())) {
            scored = SafeSearchEvaluation.score(model, 0);
        }
        assertThat(scored).hasSize(26);
        SafeSearchMapping mapping = SafeSearchMapping.of(List.of("drawing", "hentai", "neutral", "porn", "sexy"),
                SafeSearchMapping.DEFAULT_THRESHOLDS);
        double max = 0;
        for (SafeSearchEvaluation.Scored s : scored) {
            assertThat(s.reference()).as("TF.js reference of " + s.image()).hasSize(5);
            for (int c = 0; c < 5; c++) {
                assertThat((double) s.probabilities()[c]).as("%s class %d", s.image(), c)
                        .isCloseTo(s.reference()[c], org.assertj.core.data.Offset.offset(1e-3));
            }
            max = Math.max(max, s.maxAbsDiff());
            assertThat(mapping.likelihood(mapping.adult(s.probabilities())))
                    .as("adult likelihood of the neutral image " + s.image())
                    .isIn(io.imageworker.tasks.Likelihood.VERY_UNLIKELY, io.imageworker.tasks.Likelihood.UNLIKELY);
        }
        System.out.printf("nsfwjs MobileNetV2, imported vs TF.js: max |dp| = %.2e over %d images x 5 classes%n", max,
                scored.size());
        // drawings come out drawings, photos neutral: the labels are in nsfwjs's order
        assertThat(top(scored, "tricolour.png")).as("a drawing made for the demo").isZero();
        assertThat(top(scored, "skimage-horse.png")).as("a silhouette drawing").isZero();
        assertThat(top(scored, "sklearn-china.png")).as("a photo of a temple").isEqualTo(2);
    }

    static int top(List<SafeSearchEvaluation.Scored> scored, String image) {
        float[] p = scored.stream().filter(s -> s.image().equals(image)).findFirst().orElseThrow().probabilities();
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            best = p[i] > p[best] ? i : best;
        }
        return best;
    }
}
