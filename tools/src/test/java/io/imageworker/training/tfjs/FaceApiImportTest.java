package io.imageworker.training.tfjs;

import io.imageworker.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imageworker.models.ModelCard;
import io.imageworker.models.arch.Architectures;
import io.imageworker.training.checksums.Checksums;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The importer's second front end, a weights manifest plus an architecture name, on face-api
 * 1.7.15's original landmark files (src/test/resources/tfjs/face-api-landmark-68, from
 * {@code deploy/tfjs-parity/faceapi.js extract}): it makes exactly the model that ships, records the
 * files it read, and refuses what does not fit, by name.
 */
class FaceApiImportTest {

    static final Path SOURCE = Repo.path("worker/src/test/resources/tfjs/face-api-landmark-68");
    static final Path SHIPPED = Repo.path("worker/src/main/resources/models/face-api-landmark-68/1");

    @TempDir
    Path tmp;

    @Test
    void theOriginalFilesImportToTheModelThatShips() throws Exception {
        ModelCard card = TfjsImporter.importModel(new TfjsImporter.Request(SOURCE, tmp, "faces", "face-api-landmark-68", "1",
                FaceApiTopology.labels(FaceApiTopology.LANDMARKS_68), null, null, false, FaceApiTopology.LANDMARKS_68));
        Path dir = tmp.resolve("face-api-landmark-68/1");
        assertThat(Checksums.sha256(dir.resolve("face-api-landmark-68-0000.params")))
                .isEqualTo(Checksums.sha256(SHIPPED.resolve("face-api-landmark-68-0000.params")));
        assertThat(Files.readString(dir.resolve("graph.json"))).isEqualTo(Files.readString(SHIPPED.resolve("graph.json")));
        assertThat(card.architectureOptions()).containsEntry(Architectures.NETWORK, "face-api-landmark-68");
        assertThat(card.input().width()).isEqualTo(112);
        assertThat(card.input().mean()[0]).isCloseTo((float) (122.782 / 255), org.assertj.core.data.Offset.offset(1e-7f));
        assertThat(card.output().activation()).isEqualTo(ModelCard.Output.LINEAR);
        assertThat(card.labels()).hasSize(136).startsWith("x1", "y1").endsWith("x68", "y68");
        assertThat(card.provenance()).containsEntry("package", "@vladmandic/face-api").containsEntry("version", "1.7.15")
                .containsEntry("licence", "MIT").containsEntry("format", "tfjs-weights-manifest");
        @SuppressWarnings("unchecked")
        Map<String, String> files = (Map<String, String>) card.provenance().get("importedFiles");
        assertThat(files).containsEntry("face_landmark_68_model.bin",
                Checksums.sha256(SOURCE.resolve("face_landmark_68_model.bin")));
        assertThat(dir.resolve("LICENSE")).hasSameTextualContentAs(SOURCE.resolve("LICENSE"));
    }

    @Test
    void aManifestOfAnotherNetworkOrAnUnknownNameIsRefused() {
        assertThatThrownBy(() -> importAs(SOURCE, FaceApiTopology.EXPRESSIONS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("136 outputs")
                .hasMessageContaining("face-api-expression");
        assertThatThrownBy(() -> importAs(SOURCE, "face-api-recognition"))
                .isInstanceOf(KerasGraph.UnsupportedLayerException.class).hasMessageContaining("face-api-recognition")
                .hasMessageContaining("face-api-landmark-68");
        assertThatThrownBy(() -> importAs(tmp, FaceApiTopology.LANDMARKS_68))
                .hasMessageContaining("0 weights manifests");
        assertThatThrownBy(() -> importAs(SOURCE, FaceApiTopology.SSD_MOBILENET_V1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Output/extra_dim");
    }

    /**
     * face-api's SSD from its original files (not shipped: 22 MB of float32 parameters): the card a
     * user gets, and the figures docs/tasks/faces.md gives, measured by the faces evaluation on the imported
     * model: parity with face-api in TF.js and average precision on the faces evaluation set.
     */
    @Test
    void theSsdImportsFromItsOriginalFilesAndMatchesTheOriginal() throws Exception {
        ModelCard card = io.imageworker.testing.ImportedSsd.card();
        assertThat(card.architectureOptions()).containsEntry(Architectures.NETWORK, FaceApiTopology.SSD_MOBILENET_V1)
                .containsEntry("foldedBatchNorms", 13);
        assertThat(card.input().width()).isEqualTo(512);
        assertThat(card.input().mean()[0]).isEqualTo(0.5f);
        assertThat(card.input().std()[0]).isEqualTo(0.5f);
        assertThat(card.labels()).containsExactly("face");
        assertThat(card.options()).containsEntry("minScore", 0.5).containsEntry("nmsIou", 0.5);
        assertThat(card.companions()).containsEntry("landmarks", "face-api-landmark-68:1")
                .containsEntry("expressions", "face-api-expression:1");
        assertThat(card.provenance()).containsEntry("package", "@vladmandic/face-api").containsEntry("version", "1.7.15")
                .containsEntry("licence", "MIT").containsEntry("model", "ssd_mobilenetv1_model");
        java.util.Map<String, Double> m = new java.util.HashMap<>();
        try (io.imageworker.models.LoadedModel model = io.imageworker.models.ModelLoader.load(
                io.imageworker.testing.ImportedSsd.dir(), ai.djl.Device.cpu())) {
            io.imageworker.training.faces.FaceEvaluation.INSTANCE.evaluate(model, 0).forEach(x -> m.put(x.name(), x.value()));
        }
        System.out.println("face-api SSD imported: " + m);
        assertThat(m.get("parity-max-abs-diff")).as("largest anchor score difference").isLessThan(1e-3);
        assertThat(m.get("parity-max-abs-diff-px")).as("largest box edge difference, px").isLessThan(0.5);
        assertThat(m.get("parity-faces-abs-diff")).as("faces found by one side only").isZero();
        assertThat(m.get("average-precision")).isGreaterThanOrEqualTo(0.8).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.005));
        assertThat(m.get("precision")).isCloseTo(0.971, org.assertj.core.data.Offset.offset(0.005));
        assertThat(m.get("recall")).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.005));
        assertThat(m.get("false-positives-per-negative")).isCloseTo(0.071, org.assertj.core.data.Offset.offset(0.005));
    }

    @Test
    void anSsdWhoseAnchorsAreNotTheDecodersIsRefused() {
        float[] anchors = io.imageworker.tasks.faces.SsdDecoder.anchors();
        anchors[7] += 1e-3f; // 0.5 px of the 512 px input
        Map<String, TfjsWeights.Weight> weights = Map.of("Output/extra_dim",
                new TfjsWeights.Weight("Output/extra_dim", new int[] {1, anchors.length / 4, 4}, anchors));
        assertThatThrownBy(() -> FaceApiTopology.of(FaceApiTopology.SSD_MOBILENET_V1, weights))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differs from the decoder's anchors");
        // the decoder's own anchors pass that check and the topology then asks for the first layer's weights
        Map<String, TfjsWeights.Weight> exact = Map.of("Output/extra_dim", new TfjsWeights.Weight("Output/extra_dim",
                new int[] {1, anchors.length / 4, 4}, io.imageworker.tasks.faces.SsdDecoder.anchors()));
        assertThatThrownBy(() -> FaceApiTopology.of(FaceApiTopology.SSD_MOBILENET_V1, exact))
                .hasMessageContaining("MobilenetV1/Conv2d_0_pointwise/weights");
    }

    @Test
    void aFolderWithOnlyAManifestNeedsAnArchitecture() {
        assertThatThrownBy(() -> importAs(SOURCE, null)).hasMessageContaining("--architecture");
    }

    private void importAs(Path src, String architecture) throws Exception {
        TfjsImporter.importModel(new TfjsImporter.Request(src, tmp.resolve("out"), "faces", "x", "1", null, null, null, false,
                architecture));
    }
}
