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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A 2,000-image job listed from a prefix: progress events on the way, a complete result file at the end. */
@QuarkusTest
@WithTestResource(StackResource.class)
class LargeJobTest extends WorkerTest {

    static final int N = 2000;

    @Test
    void twoThousandImagesFromAPrefix() throws Exception {
        String jobId = "large-" + UUID.randomUUID();
        String prefix = "large/" + jobId + "/";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> uploads = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            int k = i;
            uploads.add(pool.submit(() -> {
                store.write(new S3Location("images", prefix + String.format("%05d.png", k)), Digits.png(k), "image/png");
                return null;
            }));
        }
        for (Future<?> f : uploads) {
            f.get();
        }
        pool.shutdown();
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"classify\",\"options\":{\"topK\":1},"
                + "\"inputPrefix\":\"s3://images/" + prefix + "\"}");

        JsonNode result = events.result(jobId, Duration.ofMinutes(5));

        assertThat(SCHEMAS.violations(EventSchemas.Contract.RESULT, result)).isEmpty();
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("summary").path("total").asInt()).isEqualTo(N);
        // the event stays small: its items are in the files
        assertThat(result.path("itemsOmitted").asBoolean()).isTrue();
        assertThat(result.has("items")).isFalse();

        byte[] lines = store.read(S3Location.parse(result.path("artifacts").path("items").asText()), 50_000_000);
        List<String> rows = new String(lines, StandardCharsets.UTF_8).lines().toList();
        assertThat(rows).hasSize(N);
        int right = 0;
        for (int i = 0; i < N; i++) {
            JsonNode item = EventLog.JSON.readTree(rows.get(i));
            assertThat(item.path("index").asInt()).isEqualTo(i);
            assertThat(item.path("uri").asText()).endsWith(String.format("%05d.png", i));
            // an abstention (outOfDistribution, no labels) on a digit counts as a miss
            right += item.path("labels").path(0).path("label").asText().equals(Integer.toString(Digits.label(i))) ? 1 : 0;
        }
        assertThat(right).isGreaterThanOrEqualTo((int) (0.99 * N));
        JsonNode full = EventLog.JSON.readTree(store.read(S3Location.parse(result.path("resultUri").asText()), 50_000_000));
        assertThat(full.path("items")).hasSize(N);
        assertThat(store.read(S3Location.parse(result.path("artifacts").path("report").asText()), 50_000_000).length)
                .isGreaterThan(10_000);

        List<JsonNode> progress = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : events.on("image-progress")) {
            if (jobId.equals(EventLog.key(r))) {
                progress.add(EventLog.json(r));
            }
        }
        assertThat(progress).isNotEmpty();
        progress.forEach(p -> assertThat(SCHEMAS.violations(EventSchemas.Contract.PROGRESS, p)).isEmpty());
        assertThat(progress).allSatisfy(p -> assertThat(p.path("total").asInt()).isEqualTo(N));
        assertThat(progress.get(progress.size() - 1).path("done").asInt()).isEqualTo(N);
        for (int i = 1; i < progress.size(); i++) {
            assertThat(progress.get(i).path("done").asInt()).isGreaterThanOrEqualTo(progress.get(i - 1).path("done").asInt());
        }
    }
}
