package io.imageworker.publish;

import org.awaitility.Awaitility;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imageworker.testing.LocalStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transactional publisher on the real broker, with a real consumer group: answers are visible
 * to {@code read_committed} readers exactly when the offsets below them commit, a retried record's
 * earlier answer never shows, and a fenced producer's commit shows nothing and is redone once.
 */
class TransactionalPublisherTest {

    LocalStack stack;
    String jobs;
    String answers;
    String group;
    TopicPartition source;
    KafkaConsumer<byte[], byte[]> consumer;
    KafkaConsumer<byte[], byte[]> reader;
    final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        stack = LocalStack.shared();
        String t = "txp-" + UUID.randomUUID().toString().substring(0, 8);
        jobs = t + "-jobs";
        answers = t + "-answers";
        group = t + "-group";
        stack.createTopics(List.of(jobs, answers), 1);
        source = new TopicPartition(jobs, 0);
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrap()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 8; i++) {
                p.send(new ProducerRecord<>(jobs, bytes("job-" + i))).get();
            }
        }
        Map<String, Object> c = new HashMap<>(kafka());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(jobs));
        // polling joins the group: the generation the transactions name
        Awaitility.await("the consumer joins its group").atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                .pollInSameThread().until(() -> {
                    consumer.poll(Duration.ofMillis(100));
                    return !consumer.assignment().isEmpty();
                });
        assertThat(consumer.assignment()).containsExactly(source);
        Map<String, Object> r = new HashMap<>(kafka());
        r.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        reader = new KafkaConsumer<>(r, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        reader.assign(List.of(new TopicPartition(answers, 0)));
        reader.seekToBeginning(reader.assignment());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        consumer.close();
        reader.close();
    }

    Map<String, Object> kafka() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap());
    }

    TransactionalPublisher publisher(String id) {
        TransactionalPublisher p = new TransactionalPublisher(kafka(), id, Duration.ofSeconds(10), 3);
        closing.add(p);
        return p;
    }

    void answer(TransactionalPublisher p, long offset, String text) {
        assertThat(p.answering(jobs, 0, offset).send(answers, bytes("k" + offset), bytes(text), List.of())).isCompleted();
    }

    void commit(TransactionalPublisher p, long offset) {
        p.commit(Map.of(source, new OffsetAndMetadata(offset)), consumer.groupMetadata(),
                parts -> consumer.committed(parts, Duration.ofSeconds(10)));
    }

    /** What a read_committed reader has seen after waiting {@code wait} for more. */
    List<String> readCommitted(List<String> seen, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100))) {
                seen.add(new String(r.value(), StandardCharsets.UTF_8));
            }
        }
        return seen;
    }

    long committedOffset() {
        OffsetAndMetadata om = consumer.committed(java.util.Set.of(source), Duration.ofSeconds(10)).get(source);
        return om == null ? -1 : om.offset();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void answersBecomeVisibleWithTheOffsetsBelowThemAndARetryReplacesAnEarlierAttempt() {
        TransactionalPublisher p = publisher("txp-" + UUID.randomUUID());
        List<String> seen = new ArrayList<>();
        // jobs finish out of order: 3, 1, 0, 4; job 2 is still running
        answer(p, 3, "3 first try");
        answer(p, 1, "1");
        answer(p, 0, "0");
        answer(p, 4, "4");
        assertThat(readCommitted(seen, Duration.ofSeconds(1))).as("nothing before a commit").isEmpty();

        commit(p, 2); // the contiguous prefix: 0 and 1
        assertThat(readCommitted(seen, Duration.ofSeconds(2))).containsExactly("0", "1");
        assertThat(committedOffset()).isEqualTo(2);
        assertThat(p.stagedEvents()).isEqualTo(2);

        p.attemptStarts(source, 3); // job 3 runs again (its first attempt failed after staging)
        answer(p, 3, "3 second try");
        answer(p, 2, "2");
        commit(p, 5);
        assertThat(readCommitted(seen, Duration.ofSeconds(2))).containsExactly("0", "1", "2", "3 second try", "4");
        assertThat(committedOffset()).isEqualTo(5);
        assertThat(p.stagedEvents()).isZero();
        assertThat(p.transactions()).isEqualTo(2);
    }

    @Test
    void aFencedCommitShowsNothingAndTheNextOneProducesTheAnswersOnce() {
        String id = "txp-" + UUID.randomUUID();
        TransactionalPublisher first = publisher(id);
        List<String> seen = new ArrayList<>();
        answer(first, 0, "0");
        publisher(id); // a newer instance with the same transactional id: the first is a zombie now
        // fenced shows as ProducerFencedException, or as a KafkaException caused by it, by where the client learns it
        assertThatThrownBy(() -> commit(first, 1)).isInstanceOf(KafkaException.class);
        assertThat(readCommitted(seen, Duration.ofSeconds(2))).isEmpty();
        assertThat(committedOffset()).isEqualTo(-1);
        assertThat(first.stagedEvents()).as("the answer stays staged").isEqualTo(1);

        commit(first, 1); // the first took its id back with a new producer (fencing the other in turn)
        answer(first, 1, "1");
        commit(first, 2);
        assertThat(readCommitted(seen, Duration.ofSeconds(2))).containsExactly("0", "1");
        assertThat(committedOffset()).isEqualTo(2);
    }

    @Test
    void everyEventMustAnswerARecord() {
        TransactionalPublisher p = publisher("txp-" + UUID.randomUUID());
        assertThat(p.send(answers, bytes("k"), bytes("v"), List.of())).isCompletedExceptionally();
    }
}
