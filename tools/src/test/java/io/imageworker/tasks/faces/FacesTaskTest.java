package io.imageworker.tasks.faces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.events.JobRequest;
import io.imageworker.job.Rejection;
import io.imageworker.models.ModelCard;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The handler's options, item JSON, card checks and report table. */
class FacesTaskTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final FacesTask task = new FacesTask();

    static JobRequest job(String options) throws Exception {
        return new JobRequest("j1", "faces", List.of(), null, null, null, (ObjectNode) JSON.readTree(options), 0, null, Map.of());
    }

    @Test
    void acceptsScoresInTheUnitIntervalAndMaxResultsFromOneToAThousand() {
        for (String ok : List.of("{}", "{\"minScore\": 0}", "{\"minScore\": 1}", "{\"minScore\": 0.5, \"maxResults\": 1}",
                "{\"maxResults\": 1000}", "{\"maxUpscale\": 1}", "{\"maxUpscale\": 2.5}", "{\"maxUpscale\": 64}")) {
            assertThatCode(() -> task.validate(job(ok), null)).as(ok).doesNotThrowAnyException();
        }
    }

    @Test
    void rejectsBadOptionsAsInvalidJobs() {
        for (String bad : List.of("{\"minScore\": -0.1}", "{\"minScore\": 1.5}", "{\"minScore\": \"high\"}",
                "{\"minScore\": null}", "{\"maxResults\": 0}", "{\"maxResults\": -3}", "{\"maxResults\": 2.5}",
                "{\"maxResults\": \"5\"}", "{\"maxResults\": 1e12}", "{\"maxResults\": 1001}",
                "{\"maxUpscale\": 0.5}", "{\"maxUpscale\": 65}", "{\"maxUpscale\": \"2\"}", "{\"maxUpscale\": null}",
                "{\"attributes\": \"yes\"}", "{\"attributes\": 1}", "{\"attributes\": null}")) {
            assertThatThrownBy(() -> task.validate(job(bad), null)).as(bad).isInstanceOf(Rejection.Exception.class)
                    .satisfies(e -> assertThat(((Rejection.Exception) e).rejection().code()).isEqualTo(Rejection.INVALID_JOB));
        }
    }

    @Test
    void servesBlazefaceAndFaceApiSsdCardsOnly() throws Exception {
        ModelCard back = FaceModels.readCard("blazeface-back-256");
        assertThat(task.translator(back)).isInstanceOf(BlazeFaceTranslator.class);
        assertThat(task.translator(FaceModels.readCard("blazeface-front-128"))).isInstanceOf(BlazeFaceTranslator.class);
        ModelCard other = ModelCard.builder("x", "1", "faces", "onnx").architecture("retinaface").weights("x")
                .input(back.input()).build();
        assertThatThrownBy(() -> task.translator(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retinaface");
        // the detector's companions: face-api's networks, their outputs as they are
        assertThat(task.translator(FaceModels.readCard("face-api-landmark-68"))).isInstanceOf(FaceAttributeTranslator.class);
        assertThat(task.translator(FaceModels.readCard("face-api-expression"))).isInstanceOf(FaceAttributeTranslator.class);
        assertThat(FacesTask.hasAttributeModels(back)).isTrue();
        assertThat(FacesTask.hasAttributeModels(FaceModels.readCard("blazeface-front-128"))).isFalse();
        // face-api's SSD: its own translator, face-api's NMS threshold, and a detector, not a companion
        ModelCard ssd = io.imageworker.testing.ImportedSsd.card(); // not shipped: imported from its original files
        assertThat(task.translator(ssd)).isInstanceOf(SsdTranslator.class);
        assertThat(FacesTask.nmsIou(ssd)).isEqualTo(HardNms.DEFAULT_IOU);
        assertThat(FacesTask.nmsIou(back)).isEqualTo(0.3);
        assertThat(FacesTask.hasAttributeModels(ssd)).isTrue();
        assertThat(FaceAttributes.isCompanion(ssd)).isFalse();
        assertThat(task.defaultModel()).isEqualTo("blazeface-back-256");
        assertThat(task.task()).isEqualTo("faces");
    }

    @Test
    void aFaceReadsAsBoxKeypointsAndScore() {
        double[] kp = {10.04, 20.06, 30, 20, 20, 30, 20, 40, 5, 25, 35, 25};
        Map<String, Object> f = FacesTask.json(new FaceDetection(1.26, 2, 40, 50.55, kp, 0.87654321));
        JsonNode n = JSON.valueToTree(f);
        assertThat(n.path("box").path("x").asDouble()).isEqualTo(1.3);
        assertThat(n.path("box").path("height").asDouble()).isEqualTo(50.6);
        assertThat(n.path("keypoints")).hasSize(6);
        assertThat(n.path("keypoints").get(0).path("type").asText()).isEqualTo("RIGHT_EYE");
        assertThat(n.path("keypoints").get(0).path("x").asDouble()).isEqualTo(10.0);
        assertThat(n.path("keypoints").get(5).path("type").asText()).isEqualTo("LEFT_EAR_TRAGION");
        assertThat(n.path("score").asDouble()).isEqualTo(0.876543);
    }

    @Test
    void largePhotosAreReadWithThePixelsTheTilesUse() throws Exception {
        // a pyramid down to 1 model pixel per photo pixel within 64 tiles: 7 finest tiles of 256 px per axis on a
        // square photo (7 x 7 + the level before's 16 within 64), 256 x (1 + 6 x 0.75) = 1408
        assertThat(FacesTask.inputSide(FaceModels.readCard("blazeface-back-256"))).isEqualTo(1408);
        // the single level of tiles: a short side of 1.75 x 256 = 448, long sides up to 3x that
        assertThat(FacesTask.inputSide(256, new FaceFinder.Tiling(2, 0.25, 32))).isEqualTo(1344);
        // no tiles: twice the input, for the letterbox to average
        assertThat(FacesTask.inputSide(FaceModels.readCard("blazeface-front-128"))).isEqualTo(256);
    }

    @Test
    void facesOfASubsampledImageAreReportedInInputPixels() {
        double[] kp = {10, 20, 30, 20, 20, 30, 20, 40, 5, 25, 35, 25};
        FaceDetection f = FacesTask.scaled(new FaceDetection(1, 2, 40, 50, kp, 0.8), 3);
        assertThat(f.x()).isEqualTo(3);
        assertThat(f.y()).isEqualTo(6);
        assertThat(f.width()).isEqualTo(120);
        assertThat(f.keypointX(5)).isEqualTo(105);
        assertThat(f.score()).isEqualTo(0.8);
    }

    @Test
    void theReportTableHasOneRowPerFace() throws Exception {
        JsonNode item = JSON.readTree("{\"faceCount\": 2, \"faces\": ["
                + "{\"box\": {\"x\": 10.4, \"y\": 20, \"width\": 30, \"height\": 30}, \"score\": 0.9,"
                + " \"keypoints\": [{\"type\": \"RIGHT_EYE\", \"x\": 15, \"y\": 25}]},"
                + "{\"box\": {\"x\": 100, \"y\": 20, \"width\": 30, \"height\": 30}, \"score\": 0.8, \"keypoints\": []}]}");
        String html = task.reportSection(null).html(item);
        assertThat(html).contains("2 face(s)").contains("10, 20 &nbsp;30&times;30").contains("RIGHT_EYE 15, 25").contains("0.900");
        assertThat(html.split("<tr>")).hasSize(4); // header + 2 rows (+ the text before the first)
        assertThat(task.reportSection(null).html(JSON.readTree("{\"labels\": []}"))).isEmpty();
    }

    @Test
    void cardsDeclareTheGraphAndItsProvenance() throws Exception {
        for (String name : List.of("blazeface-back-256", "blazeface-front-128")) {
            ModelCard c = FaceModels.readCard(name);
            assertThat(c.task()).isEqualTo("faces");
            assertThat(c.formatOrDefault()).isEqualTo(ModelCard.FORMAT_ONNX);
            assertThat(c.input().name()).isEqualTo("input:0");
            assertThat(c.input().layoutOrDefault()).isEqualTo(ModelCard.Input.NHWC);
            assertThat(c.provenance()).containsKeys("package", "registry", "version", "file", "sha256", "licence", "licenceFile",
                    "upstream", "fetchedWith");
            java.nio.file.Path dir = FaceModels.folder(name);
            byte[] onnx = java.nio.file.Files.readAllBytes(dir.resolve(name + ".onnx"));
            String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(onnx));
            assertThat(c.provenance().get("sha256")).isEqualTo(sha);
            assertThat(dir.resolve((String) c.provenance().get("licenceFile"))).exists();
        }
    }
}
