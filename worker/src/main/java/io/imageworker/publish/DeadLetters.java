package io.imageworker.publish;

import io.imageworker.events.EventSchemas;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a rejected event to the dead-letter topic: key and value byte for byte as they came (so the
 * record can be replayed), the reason and origin in {@code dlq-*} headers
 * (see {@code schemas/dead-letter.v1.schema.json}). Only an event refused for its size is cut, to
 * the worker's event limit, and marked so.
 */
public final class DeadLetters {

    private final Publisher publisher;
    private final String topic;
    private final String workerId;
    private final int maxValueBytes;

    /**
     * @param maxValueBytes largest value forwarded whole; longer ones (events refused as too large)
     *     keep their first bytes and say so in {@code dlq-value-truncated} / {@code dlq-original-size}
     */
    public DeadLetters(Publisher publisher, String topic, String workerId, int maxValueBytes) {
        this.publisher = publisher;
        this.topic = topic;
        this.workerId = workerId;
        this.maxValueBytes = maxValueBytes;
    }

    /**
     * @param origin where the event came from
     * @param code stable reason code
     * @param reason reason for people
     * @param jobId the job id if the event had a readable one
     */
    public CompletableFuture<Void> send(Origin origin, String code, String reason, String jobId) {
        List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
        for (Map.Entry<String, byte[]> h : origin.headers()) {
            if (!h.getKey().startsWith("dlq-")) { // an earlier dead-lettering's reason is not this one's
                headers.add(h);
            }
        }
        byte[] value = origin.value();
        if (value != null && value.length > maxValueBytes) {
            // Too large to forward whole (the producer's own limit): keep the head, say so.
            headers.add(Publisher.header("dlq-value-truncated", "true"));
            headers.add(Publisher.header("dlq-original-size", Integer.toString(value.length)));
            value = java.util.Arrays.copyOf(value, maxValueBytes);
        }
        headers.add(Publisher.header("dlq-schema", EventSchemas.DEAD_LETTER_ID));
        headers.add(Publisher.header("dlq-reason-code", code));
        headers.add(Publisher.header("dlq-reason", reason));
        headers.add(Publisher.header("dlq-original-topic", origin.topic()));
        headers.add(Publisher.header("dlq-original-partition", Integer.toString(origin.partition())));
        headers.add(Publisher.header("dlq-original-offset", Long.toString(origin.offset())));
        headers.add(Publisher.header("dlq-original-timestamp", Long.toString(origin.timestamp())));
        headers.add(Publisher.header("dlq-worker-id", workerId));
        headers.add(Publisher.header("dlq-failed-at", Instant.now().toString()));
        if (jobId != null) {
            headers.add(Publisher.header("dlq-job-id", jobId));
        }
        return publisher.answering(origin.topic(), origin.partition(), origin.offset()).send(topic, origin.key(), value, headers);
    }

    /**
     * The rejected record as consumed.
     *
     * @param timestamp the record's timestamp, epoch milliseconds
     * @param headers the original record's headers (name, raw value; null values allowed), kept but for
     *     any earlier {@code dlq-*} ones
     */
    public record Origin(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
            List<Map.Entry<String, byte[]>> headers) {}
}
