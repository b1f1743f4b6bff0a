package io.imageworker.pipeline;

import io.imageworker.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.Images;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.imageworker.training.ood.OodImages;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Inputs that are not digits, sent to the default digit models through the real broker, object
 * store and worker: the models abstain on them (the item succeeds, with {@code outOfDistribution}
 * and no answer) and still answer real digits.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class OutOfDistributionJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final int DIGITS = 20;

    static byte[] photo() throws Exception {
        return Files.readAllBytes(Repo.path("worker/src/test/resources/cases/field/photo-landscape.png"));
    }

    static BufferedImage blank(int w, int h, Color c) {
        return Images.filled(w, h, c);
    }

    @Test
    void aPhotoATextureAndABlankImageAbstainWhileDigitsGetTheirLabels() throws Exception {
        String jobId = "ood-" + UUID.randomUUID();
        List<String> uris = new ArrayList<>();
        uris.add(upload(jobId + "/photo-landscape.png", photo()));
        // seeds other than the evaluation set's: the test does not reuse what the bars are measured on
        uris.add(upload(jobId + "/texture.png", Images.encode(OodImages.texture(new Random(4242)), "png")));
        uris.add(upload(jobId + "/blank.png", Images.encode(blank(64, 64, Color.WHITE), "png")));
        for (int i = 0; i < DIGITS; i++) {
            uris.add(upload(jobId + "/digit-" + i + ".png", Digits.png(i)));
        }
        events.produce("image-jobs", jobId, ClassifyJobTest.job(jobId, uris));

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        JsonNode items = result.path("items");
        for (int i = 0; i < 3; i++) {
            JsonNode item = items.get(i);
            assertThat(item.path("status").asText()).as(item.path("uri").asText()).isEqualTo("succeeded");
            // no digit: at most the COCO-80 classes objects found, marked as photo labels (the job pins no model)
            assertThat(!item.has("labels") || "coco-80".equals(item.path("labelSet").asText())).as("labels of %s", item)
                    .isTrue();
            assertThat(item.path("labels").findValuesAsText("label")).as(item.toString()).noneMatch(l -> l.matches("[0-9]"));
            JsonNode ood = item.path("outOfDistribution");
            assertThat(ood.path("score").asDouble()).as(item.toString()).isGreaterThan(ood.path("threshold").asDouble());
            assertThat(ood.path("threshold").asDouble()).isEqualTo(1.0);
            assertThat(ood.path("method").asText()).isEqualTo("input-statistics+mahalanobis+probe");
            assertThat(ood.path("reasons")).isNotEmpty();
            assertThat(item.path("oodScore").asDouble()).isEqualTo(ood.path("score").asDouble());
        }
        int right = 0;
        for (int i = 0; i < DIGITS; i++) {
            JsonNode item = items.get(3 + i);
            assertThat(item.has("outOfDistribution")).as(item.toString()).isFalse();
            assertThat(item.path("oodScore").asDouble()).as(item.toString()).isBetween(0.0, 1.0);
            right += item.path("labels").get(0).path("label").asText().equals(Integer.toString(Digits.label(i))) ? 1 : 0;
        }
        assertThat(right).as("correct labels of %d digits", DIGITS).isGreaterThanOrEqualTo(DIGITS - 1);

        // the report says it in words
        String report = java.nio.file.Files.readString(TasksJobTest.localFile(result.path("artifacts").path("report").asText()));
        assertThat(report).contains("not what the model knows: score").doesNotContain("\"reasons\"");

        // result.json holds the same abstentions
        JsonNode file = EventLog.JSON.readTree(store.read(io.imageworker.storage.S3Location.parse(
                result.path("resultUri").asText()), 10_000_000));
        assertThat(file.path("items")).isEqualTo(items);
    }

    @ParameterizedTest
    @CsvSource({"segment, classFractions, deploy/local/demo/scenes/scene-00.png",
        "localize, detections, deploy/local/demo/canvases/canvas-00.png"})
    void segmentAndLocalizeAbstainOnAPhotoAndAnswerOnDigits(String task, String answer, String digits) throws Exception {
        String jobId = "ood-" + task + "-" + UUID.randomUUID();
        List<String> uris = List.of(upload(jobId + "/photo-landscape.png", photo()),
                upload(jobId + "/blank.png", Images.encode(blank(64, 64, Color.BLACK), "png")),
                upload(jobId + "/digits.png", Files.readAllBytes(Repo.path(digits))));
        var job = EventLog.JSON.createObjectNode().put("jobId", jobId).put("task", task);
        uris.forEach(u -> job.withArray("inputs").addObject().put("uri", u));
        events.produce("image-jobs", jobId, job.toString());

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        for (int i = 0; i < 2; i++) {
            JsonNode item = result.path("items").get(i);
            assertThat(item.path("status").asText()).isEqualTo("succeeded");
            assertThat(item.has(answer)).as(item.toString()).isFalse();
            assertThat(item.has("artifacts")).as("no mask or heatmap of %s", item.path("uri").asText()).isFalse();
            assertThat(item.path("outOfDistribution").path("method").asText()).isEqualTo("input-statistics");
            assertThat(item.path("outOfDistribution").path("score").asDouble()).isGreaterThan(1.0);
        }
        JsonNode scene = result.path("items").get(2);
        assertThat(scene.has("outOfDistribution")).as(scene.toString()).isFalse();
        assertThat(scene.path("oodScore").asDouble()).isBetween(0.0, 1.0);
        assertThat(scene.path(answer).isEmpty()).as(scene.toString()).isFalse();
    }

    @Test
    void abstainFalseKeepsTheLabelsAndStillReportsTheScore() throws Exception {
        String jobId = "ood-off-" + UUID.randomUUID();
        String uri = upload(jobId + "/photo-landscape.png", photo());
        var job = EventLog.JSON.createObjectNode().put("jobId", jobId).put("task", "classify");
        job.putArray("inputs").addObject().put("uri", uri);
        job.putObject("options").put("abstain", false).put("topK", 2);
        events.produce("image-jobs", jobId, job.toString());

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        JsonNode item = result.path("items").get(0);
        assertThat(item.path("status").asText()).isEqualTo("succeeded");
        assertThat(item.path("labels")).hasSize(2);
        assertThat(item.has("outOfDistribution")).isFalse();
        assertThat(item.path("oodScore").asDouble()).isGreaterThan(1.0);
    }
}
