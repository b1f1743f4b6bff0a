package io.imageworker.testing;

import org.awaitility.Awaitility;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The test's view of the broker: produces job events, and records everything the worker writes to
 * the results, progress and dead-letter topics (read from the beginning by a consumer of its own),
 * so tests can wait for what they expect.
 */
public final class EventLog implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaProducer<byte[], byte[]> producer;
    private final List<ConsumerRecord<byte[], byte[]>> records = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean running = true;

    public EventLog(String bootstrap, List<String> topics) {
        this(bootstrap, topics, false);
    }

    /**
     * @param readCommitted read as a {@code read_committed} consumer: only committed transactions'
     *     records (and non-transactional ones), none of an aborted or still open transaction
     */
    public EventLog(String bootstrap, List<String> topics, boolean readCommitted) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-log-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(topics);
        reader = new Thread(() -> {
            try (consumer) {
                while (running) {
                    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                }
            } catch (RuntimeException e) {
                if (running) {
                    e.printStackTrace();
                }
            }
        }, "test-event-log");
        reader.setDaemon(true);
        reader.start();
    }

    /** Produces {@code value} to {@code topic} with {@code key}; waits for the ack. */
    public void produce(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Produces every record of {@code keyedValues} (key to value, in its order) before waiting for any
     * acknowledgement, so that they reach the broker together: a test of what the worker does with jobs
     * that arrive at once must not space them by a round trip each (on a loaded machine, more than the
     * batcher's delay).
     */
    public void produceAll(String topic, Map<String, String> keyedValues) {
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        keyedValues.forEach((key, value) -> acks.add(producer.send(new ProducerRecord<>(topic,
                key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)))));
        producer.flush();
        for (java.util.concurrent.Future<?> ack : acks) {
            try {
                ack.get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Produces with headers (trace context ...). */
    public void produce(String topic, String key, byte[] value, Map<String, String> headers) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
        headers.forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(r).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Produces with raw headers (null values and any bytes allowed, as Kafka allows); returns where
     * the record landed.
     */
    public org.apache.kafka.clients.producer.RecordMetadata produce(String topic, String key, byte[] value,
            Iterable<org.apache.kafka.common.header.Header> headers) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, null,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, headers);
        try {
            return producer.send(r).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void produce(String topic, String key, String value) {
        produce(topic, key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Records on {@code topic} so far. */
    public List<ConsumerRecord<byte[], byte[]>> on(String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.topic().equals(topic)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Waits for the first record on {@code topic} matching {@code match}. */
    public ConsumerRecord<byte[], byte[]> await(String topic, Predicate<ConsumerRecord<byte[], byte[]>> match, Duration timeout) {
        return Awaitility.await("a matching record on " + topic).atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> on(topic).stream().filter(match).findFirst(), java.util.Optional::isPresent).get();
    }

    /** Waits for the result event of {@code jobId} on image-results. */
    public JsonNode result(String jobId, Duration timeout) {
        return result("image-results", jobId, timeout);
    }

    /** Waits for the result event of {@code jobId} on {@code topic}. */
    public JsonNode result(String topic, String jobId, Duration timeout) {
        return json(await(topic, r -> jobId.equals(key(r)), timeout));
    }

    /** All result events of {@code jobId} so far. */
    public List<JsonNode> results(String jobId) {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : on("image-results")) {
            if (jobId.equals(key(r))) {
                out.add(json(r));
            }
        }
        return out;
    }

    public static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }

    public static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The record's headers as a JSON object (for validating the dead-letter envelope). */
    public static JsonNode headers(ConsumerRecord<byte[], byte[]> r) {
        var node = JSON.createObjectNode();
        r.headers().forEach(h -> node.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
        return node;
    }

    public static JsonNode json(ConsumerRecord<byte[], byte[]> r) {
        try {
            return JSON.readTree(r.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    @Override
    public void close() {
        running = false;
        producer.close();
    }
}
