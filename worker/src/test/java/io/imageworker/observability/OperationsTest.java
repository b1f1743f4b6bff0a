package io.imageworker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.LocalStack;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What an operator sees: readiness, the Prometheus metrics the docs name (docs/operations.md and the pages of their topic), trace context carried through. */
@QuarkusTest
@WithTestResource(StackResource.class)
class OperationsTest extends WorkerTest {

    @TestHTTPResource("/q/health/ready")
    URL ready;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    static HttpResponse<String> get(URL url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessSaysTheModelsAreWarmAndTheBrokerIsReachable() throws Exception {
        HttpResponse<String> r = get(ready);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode health = EventLog.JSON.readTree(r.body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("checks").findValuesAsText("name")).contains("image-worker", "Kafka connection health check");
    }

    @Test
    void prometheusMetricsNamedInTheReadmeAreExposed() throws Exception {
        String jobId = "metrics-" + UUID.randomUUID();
        LocalStack.shared().objectStore().write(new S3Location("images", jobId + ".png"), Digits.png(5), "image/png");
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"s3://images/"
                + jobId + ".png\"}]}");
        assertThat(events.result(jobId, Duration.ofSeconds(60)).path("status").asText()).isEqualTo("succeeded");
        String text = get(metrics).body();
        for (String name : List.of("image_worker_jobs_total", "image_worker_items_total", "image_worker_batches_total",
                "image_worker_inference_items_total", "image_worker_batch_size_bucket", "image_worker_queue_delay_seconds_bucket",
                "image_worker_inference_duration_seconds_bucket", "image_worker_fetch_duration_seconds_bucket",
                "image_worker_fetch_bytes_sum", "image_worker_items_in_flight", "image_worker_jobs_in_flight",
                "image_worker_queue_depth", "image_worker_model_load_duration_seconds_count", "image_worker_intake_paused",
                "kafka_consumer_fetch_manager_records_lag_max")) {
            assertThat(text).as("metric " + name).contains(name);
        }
        // the metrics table is in docs/operations.md; a few warm-up and memory series are described on
        // the pages of their topic (configuration, performance, memory)
        String readme = io.imageworker.testing.Docs.all();
        for (String line : text.lines().filter(l -> l.startsWith("image_worker_")).toList()) {
            String name = line.replaceAll("[{ ].*", "").replaceAll("_(total|bucket|count|sum|max)$", "");
            assertThat(readme).as("README.md or docs/ documents " + name).contains("`" + name);
        }
    }

    @Test
    void theTraceContextOfAJobReachesItsResult() throws Exception {
        String jobId = "trace-" + UUID.randomUUID();
        LocalStack.shared().objectStore().write(new S3Location("images", jobId + ".png"), Digits.png(6), "image/png");
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        events.produce("image-jobs", jobId, ("{\"jobId\":\"" + jobId + "\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"s3://images/"
                + jobId + ".png\"}]}").getBytes(StandardCharsets.UTF_8),
                Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));
        ConsumerRecord<byte[], byte[]> r = events.await("image-results", x -> jobId.equals(EventLog.key(x)), Duration.ofSeconds(60));
        String traceparent = EventLog.header(r, "traceparent");
        assertThat(traceparent).isNotNull().matches("00-" + traceId + "-[0-9a-f]{16}-0[01]");
    }
}
