package io.imageworker.publish;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where the worker's events go: results, progress and dead letters. {@link EventPublisher} sends
 * them to Kafka; tests of the pipeline hand it an in-memory one.
 */
public interface Publisher {

    /**
     * Sends {@code value} keyed by {@code key}; completes when the record is acknowledged (for Kafka:
     * by every in-sync replica), or fails with the reason it was not.
     *
     * @param key the key's bytes (null for none)
     * @param headers header name and raw value, in order (null values allowed, as Kafka allows)
     */
    CompletableFuture<Void> send(String topic, byte[] key, byte[] value, List<Map.Entry<String, byte[]>> headers);

    /**
     * Where to send the events that answer the consumed record {@code offset} of {@code topic}'s
     * {@code partition} (its result, its dead letter). Plain publishers send them at once (this
     * publisher); a transactional one stages them until the record's offset commits, in the same
     * transaction.
     */
    default Publisher answering(String topic, int partition, long offset) {
        return this;
    }

    /** Sends with a UTF-8 key and UTF-8 text headers, in the map's order. */
    default CompletableFuture<Void> send(String topic, String key, byte[] value, Map<String, String> headers) {
        List<Map.Entry<String, byte[]>> raw = new ArrayList<>(headers.size());
        headers.forEach((k, v) -> raw.add(header(k, v)));
        return send(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, raw);
    }

    /** A UTF-8 text header. */
    static Map.Entry<String, byte[]> header(String name, String value) {
        return new SimpleImmutableEntry<>(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
