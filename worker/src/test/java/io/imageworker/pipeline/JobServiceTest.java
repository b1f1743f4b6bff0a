package io.imageworker.pipeline;

import io.imageworker.config.ModelsConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imageworker.config.WorkerConfig;
import io.imageworker.events.EventSchemas;
import io.imageworker.intake.JobEnvelope;
import io.imageworker.intake.JobParser;
import io.imageworker.observability.JobTracing;
import io.imageworker.observability.WorkerMetrics;
import io.imageworker.publish.DeadLetters;
import io.imageworker.publish.Publisher;
import io.imageworker.tasks.properties.PropertiesTask;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator alone: job envelopes in, records out through an in-memory publisher, no broker,
 * store or model. What ends without running items (refusals, dead letters after bounded attempts,
 * injected faults) is decided here.
 */
class JobServiceTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final EventSchemas SCHEMAS = new EventSchemas();

    /** One published record. */
    record Sent(String topic, String key, byte[] value, Map<String, byte[]> headers) {
        String header(String name) {
            byte[] v = headers.get(name);
            return v == null ? null : new String(v, StandardCharsets.UTF_8);
        }

        JsonNode json() throws Exception {
            return JSON.readTree(value);
        }
    }

    /** Keeps what would have gone to Kafka. */
    static class InMemoryPublisher implements Publisher {
        final List<Sent> sent = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<Void> send(String topic, byte[] key, byte[] value,
                List<Map.Entry<String, byte[]>> headers) {
            Map<String, byte[]> h = new LinkedHashMap<>();
            headers.forEach(e -> h.put(e.getKey(), e.getValue()));
            sent.add(new Sent(topic, key == null ? null : new String(key, StandardCharsets.UTF_8), value, h));
            return CompletableFuture.completedFuture(null);
        }

        List<Sent> on(String topic) {
            return sent.stream().filter(s -> s.topic().equals(topic)).toList();
        }
    }

    static ModelsConfig models() {
        return new ModelsConfig() {
            @Override
            public String repository() {
                return "classpath";
            }

            @Override
            public Map<String, String> defaults() {
                return Map.of();
            }

            @Override
            public Optional<List<String>> preload() {
                return Optional.empty();
            }

            @Override
            public Optional<String> cacheDir() {
                return Optional.empty();
            }

            @Override
            public java.time.Duration pollInterval() {
                return java.time.Duration.ZERO;
            }
        };
    }

    final InMemoryPublisher publisher = new InMemoryPublisher();
    final JobService service = service(new Tasks(List.of(new PropertiesTask()), models()), publisher, new IntakeFaults(true),
            null, null, null, null);

    /**
     * A job service of {@code tasks} that answers on {@code publisher} (results, dead letters, forwards),
     * loads no model and reaches no store: planning a job refuses it before either is needed.
     */
    static JobService service(Tasks tasks, InMemoryPublisher publisher, IntakeFaults faults, String notificationTopic,
            io.imageworker.intake.NotificationRules notifications, io.imageworker.planning.TaskRoutes routes,
            io.imageworker.publish.Publisher forwarder) {
        ResultWriter results = new ResultWriter(null, publisher, JSON, "results", "worker-1", 1 << 18, false, 1);
        WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry());
        return new JobService(new JobService.Reading(new JobParser(SCHEMAS, 1 << 20), notificationTopic, notifications,
                new JobTracing(OpenTelemetry.noop()), faults, metrics),
                routes != null ? routes : io.imageworker.planning.TaskRoutes.none(tasks.byName().keySet(),
                        tasks.known().keySet(), tasks.taskByVisionFeature()),
                new io.imageworker.planning.JobPlanner(JobServiceWiring.catalog(tasks), null, null, null),
                new JobService.Running(null, results, null, new ItemPermits(8), Runnable::run),
                new Answers(results, new DeadLetters(publisher, "dlq", "worker-1", 1 << 20), metrics, forwarder));
    }

    static JobEnvelope envelope(String value, JobEnvelope.Header... headers) {
        return new JobEnvelope("jobs", 2, 41, 1_700_000_000_000L, "k".getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8), Arrays.asList(headers));
    }

    @Test
    void anAmbiguousJobIsDeadLetteredWithItsBytesAndTheSubmitterIsTold() throws Exception {
        String body = "{\"jobId\":\"j-1\",\"task\":\"properties\",\"inputs\":[{\"uri\":\"s3://images/7.png\"}],"
                + "\"inputs\":[{\"uri\":\"s3://images/3.png\"}]}";
        service.handle(envelope(body, new JobEnvelope.Header("x-trace", null)), 1).toCompletableFuture().get(5, TimeUnit.SECONDS);

        Sent dead = publisher.on("dlq").get(0);
        assertThat(dead.key()).isEqualTo("k");
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(dead.header("dlq-reason-code")).isEqualTo("invalid-job");
        assertThat(dead.header("dlq-original-offset")).isEqualTo("41");
        assertThat(dead.headers()).as("the original headers ride along, null values too").containsKey("x-trace");
        assertThat(SCHEMAS.violations(EventSchemas.Contract.DEAD_LETTER, JSON.valueToTree(textHeaders(dead)))).isEmpty();
        JsonNode rejected = publisher.on("results").get(0).json();
        assertThat(SCHEMAS.violations(EventSchemas.Contract.RESULT, rejected)).isEmpty();
        assertThat(rejected.path("jobId").asText()).isEqualTo("j-1");
        assertThat(rejected.path("status").asText()).isEqualTo("rejected");
        assertThat(service.jobsInFlight()).isZero();
    }

    @Test
    void aRecordWhoseAttemptsRanOutEndsAsADeadLetterAndARejectedResult() throws Exception {
        String body = "{\"jobId\":\"j-2\",\"task\":\"properties\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}";
        service.exhausted(envelope(body), "handling the event failed 3 times (NullPointerException)")
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        Sent dead = publisher.on("dlq").get(0);
        assertThat(dead.header("dlq-reason-code")).isEqualTo("attempts-exhausted");
        assertThat(dead.header("dlq-reason")).contains("NullPointerException");
        assertThat(dead.header("dlq-job-id")).isEqualTo("j-2");
        assertThat(publisher.on("results").get(0).json().path("error").path("code").asText()).isEqualTo("attempts-exhausted");
    }

    @Test
    void aFaultAtAnIntakeStepSurfacesToTheConsumerWhichBoundsIt() {
        String body = "{\"jobId\":\"j-3\",\"task\":\"properties\",\"inputs\":[{\"uri\":\"s3://images/a.png\"}]}";
        for (String step : List.of("headers", "parse", "trace", "accept")) {
            assertThatThrownBy(() -> service.handle(envelope(body, new JobEnvelope.Header("x-image-worker-fault",
                    step.getBytes(StandardCharsets.UTF_8))), 1)).as(step).hasMessageContaining("'" + step + "'");
        }
        assertThat(publisher.sent).as("nothing published: the consumer retries, then dead-letters").isEmpty();
        assertThat(service.jobsInFlight()).isZero();
    }

    /** The dead letter's headers as text, the shape its schema describes. */
    static Map<String, String> textHeaders(Sent s) {
        Map<String, String> out = new LinkedHashMap<>();
        s.headers().forEach((k, v) -> {
            if (k.startsWith("dlq-")) {
                out.put(k, new String(v, StandardCharsets.UTF_8));
            }
        });
        return out;
    }
}
