package io.imageworker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Classification jobs through the real broker, the real object store and the worker. */
@QuarkusTest
@WithTestResource(StackResource.class)
class ClassifyJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void classifiesAHundredTestDigits() throws Exception {
        String jobId = "digits-" + UUID.randomUUID();
        int n = 100;
        List<String> uris = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            uris.add(upload(jobId + "/" + i + ".png", Digits.png(i)));
        }
        events.produce("image-jobs", jobId, job(jobId, uris));

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("summary").path("total").asInt()).isEqualTo(n);
        assertThat(result.path("model").path("name").asText()).isEqualTo("mnist-cnn-bn");
        int right = 0;
        for (int i = 0; i < n; i++) {
            JsonNode item = result.path("items").get(i);
            assertThat(item.path("uri").asText()).isEqualTo(uris.get(i));
            assertThat(item.path("labels")).hasSize(5);
            if (item.path("labels").get(0).path("label").asText().equals(Integer.toString(Digits.label(i)))) {
                right++;
            }
        }
        assertThat(right).as("correct labels of %d digits", n).isGreaterThanOrEqualTo(99);

        // result.json in object storage holds the same items, under the job's deterministic prefix
        String resultUri = result.path("resultUri").asText();
        assertThat(resultUri).isEqualTo("s3://results/jobs/" + jobId + "/result.json");
        JsonNode file = EventLog.JSON.readTree(store.read(S3Location.parse(resultUri), 10_000_000));
        assertThat(file.path("items")).isEqualTo(result.path("items"));
    }

    @Test
    void badInputsFailAloneAndTheJobEndsPartial() throws Exception {
        String jobId = "mixed-" + UUID.randomUUID();
        List<String> uris = List.of(
                upload(jobId + "/good.png", Digits.png(0)),
                "s3://images/" + jobId + "/missing.png",
                upload(jobId + "/random.png", "definitely not an image".getBytes(StandardCharsets.UTF_8)),
                upload(jobId + "/truncated.png", java.util.Arrays.copyOf(Digits.png(1), 60)),
                upload(jobId + "/empty.png", new byte[0]),
                "s3://other-bucket/" + jobId + "/x.png",
                upload(jobId + "/good.jpg", Digits.encode(Digits.image(2), "jpg")));
        events.produce("image-jobs", jobId, job(jobId, uris));

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).isEqualTo("partial");
        assertThat(result.path("summary").path("succeeded").asInt()).isEqualTo(2);
        assertThat(result.path("summary").path("failed").asInt()).isEqualTo(5);
        JsonNode items = result.path("items");
        assertThat(items.get(0).path("status").asText()).isEqualTo("succeeded");
        assertThat(items.get(0).path("labels").get(0).path("label").asText()).isEqualTo(Integer.toString(Digits.label(0)));
        assertThat(code(items.get(1))).isEqualTo("not-found");
        assertThat(code(items.get(2))).isEqualTo("not-an-image");
        assertThat(code(items.get(3))).isEqualTo("corrupt-image");
        assertThat(code(items.get(4))).isEqualTo("not-an-image");
        assertThat(code(items.get(5))).isEqualTo("not-allowed");
        assertThat(items.get(5).path("error").path("message").asText()).contains("other-bucket");
        assertThat(items.get(6).path("labels").get(0).path("label").asText()).isEqualTo(Integer.toString(Digits.label(2)));
    }

    @Test
    void aJobWhoseInputsAllFailEndsFailed() throws Exception {
        String jobId = "allbad-" + UUID.randomUUID();
        events.produce("image-jobs", jobId, job(jobId, List.of("s3://images/" + jobId + "/nothing-here.png")));

        JsonNode result = events.result(jobId, WAIT);

        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).isEqualTo("failed");
        assertThat(code(result.path("items").get(0))).isEqualTo("not-found");
    }

    @Test
    void twentySingleImageJobsShareModelCalls() throws Exception {
        String model = "mnist-cnn-bn:1";
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String jobId = "single-" + i + "-" + UUID.randomUUID();
            upload(jobId + "/d.png", Digits.png(100 + i));
            jobs.add(jobId);
        }
        double[] before = worker.metrics().batchesAndItems(model);
        java.util.Map<String, String> records = new java.util.LinkedHashMap<>();
        jobs.forEach(jobId -> records.put(jobId, job(jobId, List.of("s3://images/" + jobId + "/d.png"))));
        events.produceAll("image-jobs", records); // at once, as the jobs of many producers arrive
        for (String jobId : jobs) {
            assertThat(events.result(jobId, WAIT).path("status").asText()).isEqualTo("succeeded");
        }
        double[] after = worker.metrics().batchesAndItems(model);
        double batches = after[0] - before[0];
        double items = after[1] - before[1];
        assertThat(items).isEqualTo(20);
        assertThat(batches).as("model calls for 20 single-image jobs").isLessThan(20);
    }

    static String code(JsonNode item) {
        assertThat(item.path("status").asText()).isEqualTo("failed");
        return item.path("error").path("code").asText();
    }

    static String job(String jobId, List<String> uris) {
        var job = EventLog.JSON.createObjectNode().put("jobId", jobId).put("task", "classify");
        var inputs = job.putArray("inputs");
        uris.forEach(u -> inputs.addObject().put("uri", u));
        return job.toString();
    }

}
