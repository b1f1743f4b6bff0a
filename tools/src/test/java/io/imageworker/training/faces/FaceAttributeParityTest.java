package io.imageworker.training.faces;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelLoader;
import io.imageworker.models.ModelRepository;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The imported face-api models that ship with the worker against the originals (face-api 1.7.15,
 * TF.js 4.22 pure-JS CPU backend) on the 34 face crops of the parity set: every landmark within
 * 0.5 px of the original's (in pixels of the 112 px crop), every expression probability within 1e-3.
 */
class FaceAttributeParityTest {

    @Test
    void theImportedLandmarkModelGivesTheOriginalsPoints() throws Exception {
        double max = holds("face-api-landmark-68", true, 136, 0.5);
        System.out.printf("face-api landmarks 68, imported vs TF.js: max point distance %.2e px over 34 faces%n", max);
    }

    @Test
    void theImportedExpressionModelGivesTheOriginalsProbabilities() throws Exception {
        double max = holds("face-api-expression", false, 7, 1e-3);
        System.out.printf("face-api expressions, imported vs TF.js: max |dp| = %.2e over 34 faces x 7 classes%n", max);
    }

    /** Every face's outputs within {@code bound} of the original's; returns the largest difference. */
    private static double holds(String name, boolean landmarks, int outputs, double bound) throws Exception {
        double max = 0;
        for (FaceAttributeParity.Scored s : score(name, landmarks)) {
            assertThat(s.output()).as(s.image()).hasSize(outputs);
            assertThat(s.reference()).as(s.image()).hasSize(outputs);
            assertThat(s.maxDiff(landmarks)).as("largest difference on %s (%s)", s.image(), landmarks ? "px" : "probability")
                    .isLessThan(bound);
            max = Math.max(max, s.maxDiff(landmarks));
        }
        return max;
    }

    private static List<FaceAttributeParity.Scored> score(String name, boolean landmarks) throws Exception {
        ModelRepository repo = ModelRepository.open(ModelRepository.CLASSPATH, Files.createTempDirectory("face-parity"));
        List<FaceAttributeParity.Scored> scored;
        try (LoadedModel model = ModelLoader.load(repo.resolve(name).dir(), Device.cpu())) {
            scored = FaceAttributeParity.score(model, landmarks);
        }
        assertThat(scored).hasSize(34);
        return scored;
    }
}
