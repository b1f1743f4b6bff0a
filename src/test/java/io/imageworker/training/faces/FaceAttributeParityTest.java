package io.imageworker.training.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

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
        List<FaceAttributeParity.Scored> scored = score("face-api-landmark-68", true);
        double max = 0;
        for (FaceAttributeParity.Scored s : scored) {
            assertThat(s.output()).as(s.image()).hasSize(136);
            assertThat(s.maxDiff(true)).as("largest landmark distance on " + s.image()).isLessThan(0.5);
            max = Math.max(max, s.maxDiff(true));
        }
        System.out.printf("face-api landmarks 68, imported vs TF.js: max point distance %.2e px over %d faces%n", max,
                scored.size());
    }

    @Test
    void theImportedExpressionModelGivesTheOriginalsProbabilities() throws Exception {
        List<FaceAttributeParity.Scored> scored = score("face-api-expression", false);
        double max = 0;
        for (FaceAttributeParity.Scored s : scored) {
            assertThat(s.output()).as(s.image()).hasSize(7);
            for (int c = 0; c < 7; c++) {
                assertThat((double) s.output()[c]).as("%s class %d", s.image(), c).isCloseTo(s.reference()[c], offset(1e-3));
            }
            max = Math.max(max, s.maxDiff(false));
        }
        System.out.printf("face-api expressions, imported vs TF.js: max |dp| = %.2e over %d faces x 7 classes%n", max,
                scored.size());
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
