package io.imageworker.intake;

import org.awaitility.Awaitility;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.LocalStack;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Through the running worker and the real broker: an exception at each intake step ends as a dead
 * letter ({@code attempts-exhausted}, with the error) and a {@code rejected} result after bounded
 * attempts, and the next job of the same partition is served. Headers Kafka allows but the code
 * once choked on (a null value, bytes that are not UTF-8) do not stop a job.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class IntakeFaultsTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final String FAULT = "x-image-worker-fault";

    @ParameterizedTest(name = "exception at {0}")
    @ValueSource(strings = {"headers", "parse", "trace", "accept", "plan", "publish"})
    void anExceptionAtAnIntakeStepEndsAsADeadLetterAndThePartitionMovesOn(String step) throws Exception {
        String key = "fault-" + step + "-" + UUID.randomUUID();
        String jobId = key;
        String uri = upload(jobId + ".png", Digits.png(4));
        String body = job(jobId, uri);
        events.produce("image-jobs", key, body.getBytes(StandardCharsets.UTF_8),
                List.<Header>of(new RecordHeader(FAULT, step.getBytes(StandardCharsets.UTF_8))));
        String next = "after-" + jobId;
        // Same key, same partition: it can only be committed once the failing record is done with.
        RecordMetadata after = events.produce("image-jobs", key, job(next, uri).getBytes(StandardCharsets.UTF_8), List.of());

        ConsumerRecord<byte[], byte[]> dead = events.await("image-jobs-dlq", r -> key.equals(EventLog.key(r)), WAIT);
        JsonNode envelope = EventLog.headers(dead);
        assertThat(SCHEMAS.violations(EventSchemas.Contract.DEAD_LETTER, envelope)).isEmpty();
        assertThat(envelope.path("dlq-reason-code").asText()).isEqualTo("attempts-exhausted");
        assertThat(envelope.path("dlq-reason").asText()).contains("failed 3 times")
                .contains("fault injected at intake step '" + step + "'");
        assertThat(dead.value()).as("original bytes").isEqualTo(body.getBytes(StandardCharsets.UTF_8));
        JsonNode rejected = events.result(jobId, WAIT);
        assertValid(EventSchemas.Contract.RESULT, rejected);
        assertThat(rejected.path("status").asText()).isEqualTo("rejected");
        assertThat(rejected.path("error").path("code").asText()).isEqualTo("attempts-exhausted");

        assertThat(events.result(next, WAIT).path("status").asText()).isEqualTo("succeeded");
        awaitCommitted(after);
    }

    @Test
    void whenDeadLetteringFailsTooTheRecordIsSkippedAndThePartitionMovesOn() throws Exception {
        String key = "fault-dlq-" + UUID.randomUUID();
        String uri = upload(key + ".png", Digits.png(5));
        events.produce("image-jobs", key, job(key, uri).getBytes(StandardCharsets.UTF_8),
                List.<Header>of(new RecordHeader(FAULT, "plan,dead-letter".getBytes(StandardCharsets.UTF_8))));
        RecordMetadata after = events.produce("image-jobs", key, job("after-" + key, uri).getBytes(StandardCharsets.UTF_8),
                List.of());

        assertThat(events.result("after-" + key, WAIT).path("status").asText()).isEqualTo("succeeded");
        awaitCommitted(after);
        assertThat(events.on("image-jobs-dlq")).noneMatch(r -> key.equals(EventLog.key(r)));
    }

    @Test
    void headersWithANullValueOrBytesThatAreNotUtf8DoNotStopAJob() throws Exception {
        String jobId = "odd-headers-" + UUID.randomUUID();
        String uri = upload(jobId + ".png", Digits.png(6));
        events.produce("image-jobs", jobId, job(jobId, uri).getBytes(StandardCharsets.UTF_8), List.<Header>of(
                new RecordHeader("x-trace", null), // kcat -H x-trace
                new RecordHeader("x-latin1", "K\u00f6ln".getBytes(StandardCharsets.ISO_8859_1)),
                new RecordHeader("traceparent", new byte[] {(byte) 0xff, 0, (byte) 0xc3}),
                new RecordHeader("x-empty", new byte[0])));

        JsonNode result = events.result(jobId, WAIT);
        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("items").get(0).path("labels").get(0).path("label").asText()).isEqualTo(Integer.toString(Digits.label(6)));
    }

    static String job(String jobId, String uri) {
        return "{\"jobId\":\"" + jobId + "\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"" + uri + "\"}]}";
    }

    /** Waits until the worker's group has committed past {@code record}. */
    static void awaitCommitted(RecordMetadata record) throws Exception {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.shared().bootstrap()))) {
            Awaitility.await("the worker's group commits past " + tp + "@" + record.offset()).atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                        OffsetAndMetadata om = admin.listConsumerGroupOffsets("image-worker").partitionsToOffsetAndMetadata().get().get(tp);
                        assertThat(om == null ? -1 : om.offset()).as("committed offset of %s", tp).isGreaterThan(record.offset());
                    });
        }
    }
}
