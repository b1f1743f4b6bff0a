package io.imageworker.pipeline;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.Awaitility;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.storage.ObjectStore;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * What one job costs in requests, counted by the worker's own meters
 * ({@code image_worker_storage_requests_total} by operation, the Kafka producer's
 * {@code record-send-total}) through the real broker and S3 server: a single-image classify job
 * is one GET and one PUT (result.json, created with {@code If-None-Match: *}, which s3proxy honours)
 * and one result record; a second job with its id costs its work but is refused, the first result
 * untouched.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class RequestsPerJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final List<String> OPERATIONS = List.of("HeadObject", "GetObject", "PutObject");

    @Test
    void aSingleImageClassifyJobIsOneGetOnePutAndOneRecord() throws Exception {
        String jobId = "requests-" + UUID.randomUUID();
        String uri = upload(jobId + ".png", Digits.png(4));
        Map<String, Double> before = counts();

        events.produce("image-jobs", jobId, job(jobId, List.of(uri)));
        JsonNode result = events.result(jobId, WAIT);

        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(since(before, Map.of("HeadObject", 0.0, "GetObject", 1.0, "PutObject", 1.0, "records", 1.0)))
                .as("requests and records of one single-image job")
                .isEqualTo(Map.of("HeadObject", 0.0, "GetObject", 1.0, "PutObject", 1.0, "records", 1.0));
        // result.json is there, with the item; no report.html, no items.jsonl below their sizes
        assertThat(result.has("artifacts")).as(result.toString()).isFalse();
        JsonNode file = EventLog.JSON.readTree(store.read(S3Location.parse(result.path("resultUri").asText()), 1 << 20));
        assertThat(file.path("items")).isEqualTo(result.path("items"));
        S3Location prefix = S3Location.parse(result.path("outputUri").asText());
        assertThat(store.head(prefix.resolve(ResultWriter.REPORT_FILE))).isEmpty();
        assertThat(store.head(prefix.resolve(ResultWriter.ITEMS_FILE))).isEmpty();
    }

    @Test
    void aSecondJobWithTheIdIsRefusedAfterItsWorkAndTheFirstResultStays() throws Exception {
        String jobId = "requests-dup-" + UUID.randomUUID();
        String uri = upload(jobId + ".png", Digits.png(7));
        byte[] body = job(jobId, List.of(uri));
        events.produce("image-jobs", jobId, body);
        JsonNode first = events.result(jobId, WAIT);
        assertThat(first.path("status").asText()).isEqualTo("succeeded");
        S3Location resultFile = S3Location.parse(first.path("resultUri").asText());
        byte[] firstFile = store.read(resultFile, 1 << 20);
        Map<String, String> firstMeta = store.head(resultFile).orElseThrow();
        Map<String, Double> before = counts();

        events.produce("image-jobs", jobId, body);
        ConsumerRecord<byte[], byte[]> dead = events.await("image-jobs-dlq", r -> jobId.equals(EventLog.key(r)), WAIT);

        assertThat(EventLog.headers(dead).path("dlq-reason-code").asText()).isEqualTo("duplicate-job");
        assertThat(events.results(jobId)).as("results under the duplicated id").hasSize(1);
        assertThat(store.read(resultFile, 1 << 20)).as("the first job's result.json").isEqualTo(firstFile);
        assertThat(store.head(resultFile).orElseThrow()).isEqualTo(firstMeta);
        // the refused create (412) and the HEAD that read whose result it is; its dead letter, no result
        Map<String, Double> expected = Map.of("HeadObject", 1.0, "GetObject", 1.0, "PutObject", 1.0, "records", 1.0);
        assertThat(since(before, expected)).isEqualTo(expected);
    }

    @Test
    void aTwoImageJobChecksWithAHeadAndWritesItsReportAndItemsFile() throws Exception {
        String jobId = "requests-two-" + UUID.randomUUID();
        List<String> uris = List.of(upload(jobId + "/0.png", Digits.png(0)), upload(jobId + "/1.png", Digits.png(1)));
        Map<String, Double> before = counts();

        events.produce("image-jobs", jobId, job(jobId, uris));
        JsonNode result = events.result(jobId, WAIT);

        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("artifacts").path("report").asText()).endsWith(jobId + "/report.html");
        assertThat(result.path("artifacts").path("items").asText()).endsWith(jobId + "/items.jsonl");
        Map<String, Double> expected = Map.of("HeadObject", 1.0, "GetObject", 2.0, "PutObject", 3.0, "records", 1.0);
        assertThat(since(before, expected)).isEqualTo(expected);
    }

    @Test
    void theTestStoreHonoursConditionalWrites() throws Exception {
        ObjectStore s = store;
        S3Location loc = new S3Location("results", "conditional/" + UUID.randomUUID());
        byte[] a = "a".getBytes(StandardCharsets.UTF_8);
        assertThat(s.create(loc, a, "text/plain", Map.of("source", "one"))).isTrue();
        assertThat(s.create(loc, "b".getBytes(StandardCharsets.UTF_8), "text/plain", Map.of("source", "two"))).isFalse();
        assertThat(s.read(loc, 10)).isEqualTo(a);
        assertThat(s.head(loc).orElseThrow()).containsEntry("source", "one");
        assertThat(s.honoursConditionalWrites(new S3Location("results", "conditional/probe-" + UUID.randomUUID()))).isTrue();
    }

    /** Requests by operation and records produced so far, once no job is in flight. */
    private Map<String, Double> counts() throws InterruptedException {
        MeterRegistry registry = worker.metrics().registry();
        Awaitility.await("no job in flight").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> registry.find("image_worker_jobs_in_flight").gauge() == null
                        || registry.find("image_worker_jobs_in_flight").gauge().value() == 0);
        Map<String, Double> counts = new LinkedHashMap<>();
        for (String op : OPERATIONS) {
            counts.put(op, registry.find("image_worker_storage_requests").tag("operation", op).counters().stream()
                    .mapToDouble(Counter::count).sum());
        }
        counts.put("records", registry.find("kafka.producer.record.send.total").functionCounters().stream()
                .mapToDouble(FunctionCounter::count).sum());
        return counts;
    }

    /**
     * What was used since {@code before}, read again for up to 5 s until it is {@code expected}
     * (the producer counts a record as it sends it, which may be just after the test sees it).
     */
    private Map<String, Double> since(Map<String, Double> before, Map<String, Double> expected) throws InterruptedException {
        Map<String, Double> used = new LinkedHashMap<>();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
                counts().forEach((k, v) -> used.put(k, v - before.get(k)));
                return used.equals(expected);
            });
        } catch (ConditionTimeoutException e) {
            // the caller's assertion names what differs
        }
        return used;
    }

    static byte[] job(String jobId, List<String> uris) {
        StringBuilder inputs = new StringBuilder();
        for (String u : uris) {
            inputs.append(inputs.isEmpty() ? "" : ",").append("{\"uri\":\"").append(u).append("\"}");
        }
        return ("{\"jobId\":\"" + jobId + "\",\"task\":\"classify\",\"inputs\":[" + inputs + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
