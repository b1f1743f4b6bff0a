package io.imageworker.publish;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces the worker's events (results, progress, dead letters) with one idempotent producer
 * ({@code acks=all}); each send completes when the broker has acknowledged the record, which is
 * what the intake waits for before committing a job's offset.
 */
public final class EventPublisher implements Publisher, AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;

    /**
     * Creates the producer. {@code acks=all} and idempotence are always set; {@code linger.ms} 5,
     * {@code lz4} compression and client id {@code image-worker-events} only when {@code kafka}
     * does not set them.
     *
     * @param kafka Kafka client properties (bootstrap servers, security); copied, not modified
     */
    public EventPublisher(Map<String, Object> kafka) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "image-worker-events");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The underlying client, for metrics binding only. */
    public KafkaProducer<byte[], byte[]> client() {
        return producer;
    }

    /** Sends raw key and value bytes (dead letters keep the original bytes); completes when acknowledged. */
    @Override
    public CompletableFuture<Void> send(String topic, byte[] key, byte[] value, List<Map.Entry<String, byte[]>> raw) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        List<Header> headers = new java.util.ArrayList<>(raw.size());
        raw.forEach(h -> headers.add(new RecordHeader(h.getKey(), h.getValue())));
        try {
            producer.send(new ProducerRecord<>(topic, null, key, value, headers), (meta, error) -> {
                if (error == null) {
                    acked.complete(null);
                } else {
                    acked.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }


    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
