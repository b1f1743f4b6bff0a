package io.imageworker.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.Images;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * A user's own ONNX models, served with no code: each is a graph plus a {@code model.json} dropped
 * into the worker's {@code s3://} model repository (StackResource puts {@code s3://results/byo-models/}
 * before the built-in models). The graphs are real: the PP-OCR angle classifier declared as a
 * 2-label classifier, and the PP-OCRv4 text detector declared as a 2-class segmenter. Wrong
 * declarations fail the job at load time with what the file actually has.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class ByoOnnxJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(120);
    static final String REPO = "byo-models/";

    @Test
    void anOnnxClassifierDeclaredByItsCardTellsUprightFromUpsideDown() throws Exception {
        String name = "ppocr-angle-" + UUID.randomUUID().toString().substring(0, 8);
        publishModel(name, "ppocr-angle.model.json", "models/ppocr-v2-cls/1/ppocr-v2-cls.onnx", null);
        String jobId = "byo-cls-" + UUID.randomUUID();
        List<String> uris = List.of(upload(jobId + "/up.png", Images.resource("/byo/line-upright.png")),
                upload(jobId + "/down.png", Images.resource("/byo/line-upside-down.png")));

        JsonNode result = run(jobId, "classify", name, uris);

        assertThat(result.path("model").path("name").asText()).isEqualTo(name);
        JsonNode up = result.path("items").get(0).path("labels").get(0);
        JsonNode down = result.path("items").get(1).path("labels").get(0);
        assertThat(up.path("label").asText()).as("upright line: %s", up).isEqualTo("0");
        assertThat(down.path("label").asText()).as("turned line: %s", down).isEqualTo("180");
        // The card stretches the 560x64 line to the graph's 192x48 (PaddleOCR pads instead): less sure, still right.
        assertThat(up.path("score").asDouble()).isGreaterThan(0.7);
        assertThat(down.path("score").asDouble()).isGreaterThan(0.7);
        // The graph ends in softmax and the card says so: the scores are its probabilities, not a
        // softmax of them (which would squash 0.99 / 0.01 to about 0.73 / 0.27).
        double sum = result.path("items").get(0).path("labels").get(0).path("score").asDouble()
                + result.path("items").get(0).path("labels").get(1).path("score").asDouble();
        assertThat(sum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(0.002));
    }

    @Test
    void anOnnxTextDetectorDeclaredAsASegmenterMasksTheText() throws Exception {
        String name = "ppocr-textmap-" + UUID.randomUUID().toString().substring(0, 8);
        publishModel(name, "ppocr-textmap.model.json", "models/ppocr-v4-det/1/ppocr-v4-det.onnx", null);
        String jobId = "byo-seg-" + UUID.randomUUID();
        byte[] line = Images.resource("/byo/line-upright.png");
        List<String> uris = List.of(upload(jobId + "/line.png", line));

        JsonNode result = run(jobId, "segment", name, uris);

        JsonNode item = result.path("items").get(0);
        double text = item.path("classFractions").path("text").asDouble();
        assertThat(text).as("share of text pixels: %s", item).isBetween(0.05, 0.6);
        BufferedImage mask = ImageIO.read(new ByteArrayInputStream(
                store.read(S3Location.parse(item.path("artifacts").path("mask").asText()), 10_000_000)));
        BufferedImage input = ImageIO.read(new ByteArrayInputStream(line));
        assertThat(mask.getWidth()).isEqualTo(input.getWidth());
        // The margins left and right of the line are background; the line's middle is text.
        int midY = input.getHeight() / 2;
        assertThat(mask.getRaster().getSample(3, midY, 0)).as("left margin").isZero();
        assertThat(mask.getRaster().getSample(input.getWidth() - 3, midY, 0)).as("right margin").isZero();
        int textPixels = 0;
        for (int x = 20; x < 500; x++) {
            textPixels += mask.getRaster().getSample(x, midY, 0);
        }
        assertThat(textPixels).as("text pixels along the line's middle row").isGreaterThan(400);
    }

    @Test
    void wrongDeclarationsFailAtLoadTimeSayingWhatTheFileHas() throws Exception {
        String jobId = "byo-bad-" + UUID.randomUUID();
        String uri = upload(jobId + "/up.png", Images.resource("/byo/line-upright.png"));

        String wrongName = "bad-name-" + UUID.randomUUID().toString().substring(0, 8);
        publishModel(wrongName, "ppocr-angle.model.json", "models/ppocr-v2-cls/1/ppocr-v2-cls.onnx",
                card -> card.replace("\"name\" : \"x\"", "\"name\" : \"images\""));
        JsonNode r1 = runExpectingFailure(jobId + "-name", wrongName, uri);
        assertThat(r1.toString()).contains("declares input 'images'").contains("'x' [-1, 3, -1, -1]");

        String wrongLayout = "bad-layout-" + UUID.randomUUID().toString().substring(0, 8);
        publishModel(wrongLayout, "ppocr-angle.model.json", "models/ppocr-v2-cls/1/ppocr-v2-cls.onnx",
                card -> card.replace("\"layout\" : \"NCHW\"", "\"layout\" : \"NHWC\""));
        JsonNode r2 = runExpectingFailure(jobId + "-layout", wrongLayout, uri);
        assertThat(r2.toString()).contains("declares NHWC input").contains("the graph looks NCHW")
                .contains("'x' [-1, 3, -1, -1]");

        String wrongWeights = "bad-weights-" + UUID.randomUUID().toString().substring(0, 8);
        publishModel(wrongWeights, "ppocr-angle.model.json", "models/ppocr-v2-cls/1/ppocr-v2-cls.onnx",
                card -> card.replace("\"weights\" : \"ppocr-angle\"", "\"weights\" : \"angle\""));
        JsonNode r3 = runExpectingFailure(jobId + "-weights", wrongWeights, uri);
        assertThat(r3.toString()).contains("has no angle.onnx");
    }

    /** Writes {@code <name>/1/<name>.onnx} and its card (weights and name set to {@code name}) under the repository prefix. */
    static void publishModel(String name, String cardResource, String graphResource,
            java.util.function.UnaryOperator<String> edit) throws Exception {
        String card = new String(Images.resource("/byo/" + cardResource), StandardCharsets.UTF_8);
        String stem = card.contains("\"weights\" : \"ppocr-angle\"") ? "ppocr-angle" : "ppocr-textmap";
        if (edit != null) {
            card = edit.apply(card);
        }
        card = card.replaceFirst("\"name\" : \"" + stem + "\"", "\"name\" : \"" + name + "\"")
                .replace("\"weights\" : \"" + stem + "\"", "\"weights\" : \"" + name + "\"");
        byte[] graph;
        try (InputStream in = ByoOnnxJobTest.class.getClassLoader().getResourceAsStream(graphResource)) {
            assertThat(in).as(graphResource).isNotNull();
            graph = in.readAllBytes();
        }
        store.write(new S3Location("results", REPO + name + "/1/" + name + ".onnx"), graph, "application/octet-stream");
        store.write(new S3Location("results", REPO + name + "/1/model.json"), card.getBytes(StandardCharsets.UTF_8),
                "application/json");
    }

    JsonNode run(String jobId, String task, String model, List<String> uris) {
        events.produce("image-jobs", jobId, job(jobId, task, model, uris));
        JsonNode result = events.result(jobId, WAIT);
        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        return result;
    }

    JsonNode runExpectingFailure(String jobId, String model, String uri) {
        events.produce("image-jobs", jobId, job(jobId, "classify", model, List.of(uri)));
        JsonNode result = events.result(jobId, WAIT);
        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("failed");
        assertThat(result.path("error").path("code").asText()).as(result.toString()).isEqualTo("model-unavailable");
        return result;
    }

    static String job(String jobId, String task, String model, List<String> uris) {
        var job = io.imageworker.testing.EventLog.JSON.createObjectNode().put("jobId", jobId).put("task", task)
                .put("model", model);
        var inputs = job.putArray("inputs");
        uris.forEach(u -> inputs.addObject().put("uri", u));
        return job.toString();
    }
}
