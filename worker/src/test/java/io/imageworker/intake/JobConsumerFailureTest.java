package io.imageworker.intake;

import org.awaitility.Awaitility;
import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.testing.LocalStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Fault injection at the consumer's boundary, on the real broker: a handler that throws, whose
 * future fails, that meets a broker that cannot take its result for a while, or whose dead-lettering
 * fails. Each record ends within bounded attempts and the partition's committed offset moves past it.
 */
class JobConsumerFailureTest {

    static final int MAX_ATTEMPTS = 3;

    /** A handler whose behaviour per record is named by the record's value. */
    static final class ScriptedHandler implements JobHandler {
        final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> deadLetterTries = new ConcurrentHashMap<>();
        final Map<String, String> deadLettered = new ConcurrentHashMap<>();
        final List<String> done = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<Void> handle(JobEnvelope record, int delivery) {
            String v = new String(record.value(), StandardCharsets.UTF_8);
            int n = handled.computeIfAbsent(v, k -> new AtomicInteger()).incrementAndGet();
            if (v.startsWith("throw")) {
                throw new NullPointerException("Cannot invoke \"[B.length\" because \"value\" is null");
            }
            if (v.startsWith("fail-future")) {
                return CompletableFuture.failedFuture(new IllegalStateException("a bug after the job started"));
            }
            if (v.startsWith("transient") && n <= 3) {
                return CompletableFuture.failedFuture(new TimeoutException("Expiring 1 record(s): broker away"));
            }
            done.add(v);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> exhausted(JobEnvelope record, String reason) {
            String v = new String(record.value(), StandardCharsets.UTF_8);
            deadLetterTries.computeIfAbsent(v, k -> new AtomicInteger()).incrementAndGet();
            if (v.endsWith("+dlq-broken")) {
                throw new IllegalStateException("dead-lettering is broken too");
            }
            deadLettered.put(v, reason);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean hasCapacity() {
            return true;
        }
    }

    @Test
    void everyFailingRecordEndsWithinBoundedAttemptsAndThePartitionMovesOn() throws Exception {
        LocalStack stack = LocalStack.shared();
        String topic = "jobs-failures-" + UUID.randomUUID();
        String group = "group-" + topic;
        stack.createTopics(List.of(topic), 1);
        List<String> values = List.of("throw-1", "ok-1", "fail-future-1", "ok-2", "transient-1", "ok-3",
                "throw-2+dlq-broken", "ok-4");
        produce(stack.bootstrap(), topic, values);

        ScriptedHandler handler = new ScriptedHandler();
        try (JobConsumer consumer = new JobConsumer(Map.of("bootstrap.servers", stack.bootstrap()), topic, group, 4,
                MAX_ATTEMPTS - 1, MAX_ATTEMPTS, Duration.ofMillis(200), Duration.ofSeconds(5), handler)) {
            consumer.start();
            Awaitility.await("the group commits past every record").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100)).until(() -> committed(stack.bootstrap(), group, topic) >= values.size());
        }

        assertThat(committed(stack.bootstrap(), group, topic)).as("committed offset past every record").isEqualTo(values.size());
        assertThat(handler.done).containsExactlyInAnyOrder("ok-1", "ok-2", "ok-3", "ok-4", "transient-1");
        // A handler that throws, and one whose future fails: MAX_ATTEMPTS tries, then one dead letter with the error.
        assertThat(handler.handled.get("throw-1").get()).isEqualTo(MAX_ATTEMPTS);
        assertThat(handler.handled.get("fail-future-1").get()).isEqualTo(MAX_ATTEMPTS);
        assertThat(handler.deadLettered.get("throw-1")).contains("failed 3 times").contains("NullPointerException");
        assertThat(handler.deadLettered.get("fail-future-1")).contains("failed 3 times").contains("a bug after the job started");
        assertThat(handler.deadLetterTries.get("throw-1").get()).isEqualTo(1);
        // A broker that could not take the result three times in a row is waited for, not counted.
        assertThat(handler.handled.get("transient-1").get()).isEqualTo(4);
        assertThat(handler.deadLettered).doesNotContainKey("transient-1");
        // Dead-lettering that fails too: bounded as well, then skipped.
        assertThat(handler.handled.get("throw-2+dlq-broken").get()).isEqualTo(MAX_ATTEMPTS);
        assertThat(handler.deadLetterTries.get("throw-2+dlq-broken").get()).isEqualTo(MAX_ATTEMPTS);
        assertThat(handler.handled.get("ok-4").get()).isEqualTo(1);
    }

    static void produce(String bootstrap, String topic, List<String> values) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String v : values) {
                p.send(new ProducerRecord<>(topic, 0, null, v.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    static long committed(String bootstrap, String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            OffsetAndMetadata om = offsets.get(new TopicPartition(topic, 0));
            return om == null ? -1 : om.offset();
        }
    }
}
