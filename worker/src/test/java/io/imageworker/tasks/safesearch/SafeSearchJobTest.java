package io.imageworker.tasks.safesearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code safe-search} jobs through the real broker, object store and worker, with the imported
 * nsfwjs MobileNetV2 on MXNet: neutral photos and drawings the repository carries come out
 * VERY_UNLIKELY or UNLIKELY adult, with the five probabilities; the thresholds option moves the
 * likelihoods; bad thresholds reject the job.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class SafeSearchJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(180);
    /** Full-size originals (not the parity set's 224 px copies): photos, a drawing, a rendered receipt. */
    static final List<String> IMAGES = List.of("/datasets/faces/images/sklearn-china.jpg",
            "/datasets/faces/images/skimage-astronaut.png", "/datasets/faces/images/skimage-horse.png",
            "/text/receipt.png");

    static byte[] resource(String path) throws Exception {
        try (InputStream in = SafeSearchJobTest.class.getResourceAsStream(path)) {
            return in.readAllBytes();
        }
    }

    String submit(String jobId, String options) throws Exception {
        StringBuilder job = new StringBuilder("{\"jobId\":\"" + jobId + "\",\"task\":\"safe-search\",\"inputs\":[");
        for (int i = 0; i < IMAGES.size(); i++) {
            String name = IMAGES.get(i).substring(IMAGES.get(i).lastIndexOf('/') + 1);
            job.append(i == 0 ? "" : ",").append("{\"uri\":\"").append(upload(jobId + "/" + name, resource(IMAGES.get(i))))
                    .append("\"}");
        }
        job.append("]").append(options == null ? "" : ",\"options\":" + options).append("}");
        events.produce("image-jobs", jobId, job.toString());
        return jobId;
    }

    @Test
    void neutralPhotosAndDrawingsAreUnlikelyAdult() throws Exception {
        String jobId = submit("safe-" + UUID.randomUUID(), null);
        JsonNode result = events.result(jobId, WAIT);
        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        assertThat(result.path("model").path("name").asText()).isEqualTo("nsfwjs-mobilenet-v2");
        for (int i = 0; i < IMAGES.size(); i++) {
            JsonNode item = result.path("items").get(i);
            JsonNode s = item.path("safeSearch");
            assertThat(s.path("adult").asText()).as("%s: %s", IMAGES.get(i), item).isIn("VERY_UNLIKELY", "UNLIKELY");
            JsonNode p = item.path("probabilities");
            assertThat(p.size()).isEqualTo(5);
            double sum = p.path("drawing").asDouble() + p.path("hentai").asDouble() + p.path("neutral").asDouble()
                    + p.path("porn").asDouble() + p.path("sexy").asDouble();
            assertThat(sum).as("probabilities of " + IMAGES.get(i)).isBetween(0.999, 1.001);
            assertThat(s.path("adultScore").asDouble()).isCloseTo(p.path("porn").asDouble() + p.path("hentai").asDouble(),
                    org.assertj.core.data.Offset.offset(2e-4));
            assertThat(s.path("racyScore").asDouble()).isGreaterThanOrEqualTo(s.path("adultScore").asDouble());
        }
        JsonNode china = result.path("items").get(0).path("probabilities");
        assertThat(china.path("neutral").asDouble()).as("a photo of a temple is neutral").isGreaterThan(0.9);
        JsonNode horse = result.path("items").get(2).path("probabilities");
        assertThat(horse.path("drawing").asDouble()).as("a silhouette drawing").isGreaterThan(horse.path("neutral").asDouble());
        String report = new String(store.read(S3Location.parse(result.path("artifacts").path("report").asText()), 50_000_000),
                StandardCharsets.UTF_8);
        assertThat(report).contains("<th>likelihood</th>").contains("VERY_UNLIKELY");
    }

    @Test
    void theThresholdsOptionMovesTheLikelihoodsAndBadOnesRejectTheJob() throws Exception {
        String jobId = submit("safe-strict-" + UUID.randomUUID(), "{\"thresholds\":[1e-9, 2e-9, 3e-9, 4e-9]}");
        JsonNode result = events.result(jobId, WAIT);
        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("succeeded");
        for (JsonNode item : result.path("items")) {
            // any probability above 4e-9 is VERY_LIKELY with these cuts; no softmax output of a real image is that small
            assertThat(item.path("safeSearch").path("racy").asText()).as(item.toString()).isEqualTo("VERY_LIKELY");
        }
        String bad = "safe-bad-" + UUID.randomUUID();
        events.produce("image-jobs", bad, "{\"jobId\":\"" + bad + "\",\"task\":\"safe-search\",\"inputs\":[{\"uri\":\""
                + upload(bad + "/x.png", resource(IMAGES.get(2))) + "\"}],\"options\":{\"thresholds\":[0.5, 0.2, 0.6, 0.8]}}");
        JsonNode rejected = events.result(bad, WAIT);
        assertValid(EventSchemas.Contract.RESULT, rejected);
        assertThat(rejected.path("status").asText()).isEqualTo("rejected");
        assertThat(rejected.path("error").path("code").asText()).isEqualTo("invalid-job");
        assertThat(rejected.path("error").path("message").asText()).contains("thresholds");
    }
}
