package io.imageworker.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces job events to a topic and times each one until its result event arrives: the client's
 * view of the worker, from "produced" to "result received".
 */
final class JobDriver implements AutoCloseable {

    /** What a run of jobs came to. */
    record Run(int jobs, int images, double seconds, double[] latenciesMs, int failedItems) {
        double imagesPerSecond() {
            return images / seconds;
        }
    }

    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ObjectMapper json = new ObjectMapper();
    private final String jobsTopic;
    private final Map<String, Long> sent = new ConcurrentHashMap<>();
    private final Map<String, Long> received = new ConcurrentHashMap<>();
    private final Map<String, Integer> failed = new ConcurrentHashMap<>();
    private final Thread receiver;
    private volatile boolean running = true;

    JobDriver(Map<String, Object> kafka, String jobsTopic, String resultsTopic) {
        this(kafka, jobsTopic, resultsTopic, false);
    }

    /**
     * @param readCommitted read results as a {@code read_committed} consumer (what exactly-once delivery's
     *     readers do): a result counts once its transaction has committed
     */
    JobDriver(Map<String, Object> kafka, String jobsTopic, String resultsTopic, boolean readCommitted) {
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(resultsTopic, Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(resultsTopic, i.partition())));
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30)));
        this.jobsTopic = jobsTopic;
        // Results are taken in as they arrive, so that a job's latency ends when its result lands.
        this.receiver = new Thread(this::receive, "bench-results");
        this.receiver.setDaemon(true);
        this.receiver.start();
    }

    private void receive() {
        while (running) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                long now = System.nanoTime();
                String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                if (key != null && sent.containsKey(key) && !received.containsKey(key)) {
                    received.put(key, now);
                    try {
                        failed.put(key, json.readTree(r.value()).path("summary").path("failed").asInt());
                    } catch (java.io.IOException e) {
                        failed.put(key, -1);
                    }
                }
            }
        }
        consumer.close();
    }

    /** A fresh job id. */
    static String jobId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** Produces one job event now and remembers when. */
    void send(String jobId, String event) {
        sent.put(jobId, System.nanoTime());
        producer.send(new ProducerRecord<>(jobsTopic, jobId, event));
    }

    void flush() {
        producer.flush();
    }

    /** Polls results until every id in {@code ids} has one, or {@code timeout}. */
    Run await(List<String> ids, int images, long startNanos, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int missing = ids.size();
        while (System.nanoTime() < deadline && missing > 0) {
            Thread.sleep(10);
            missing = (int) ids.stream().filter(id -> !received.containsKey(id)).count();
        }
        if (missing > 0) {
            throw new IllegalStateException(missing + " of " + ids.size() + " jobs got no result within " + timeout);
        }
        long last = ids.stream().mapToLong(received::get).max().orElse(startNanos);
        double[] latencies = ids.stream().mapToDouble(id -> (received.get(id) - sent.get(id)) / 1e6).toArray();
        int bad = ids.stream().mapToInt(id -> failed.getOrDefault(id, 0)).sum();
        return new Run(ids.size(), images, (last - startNanos) / 1e9, latencies, bad);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        receiver.join(5000);
        producer.close();
    }
}
