package io.imageworker.intake;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A job record as the rest of the worker sees it: the bytes, the headers as plain values and where
 * it came from, with no Kafka type. Made once by the intake from the consumed record.
 *
 * @param topic the topic it was consumed from
 * @param partition its partition
 * @param offset its offset in that partition
 * @param timestamp the record's timestamp, epoch milliseconds
 * @param key the key's bytes as produced (null for none)
 * @param value the value's bytes as produced (null for a tombstone)
 * @param headers the headers in record order; values as produced (null allowed, as Kafka allows)
 */
public record JobEnvelope(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
        List<Header> headers) {

    /** One record header: a key and its raw value (null allowed). */
    public record Header(String key, byte[] value) {}

    /** The envelope of {@code record}; its headers are copied. */
    public static JobEnvelope of(ConsumerRecord<byte[], byte[]> record) {
        List<Header> headers = new ArrayList<>();
        record.headers().forEach(h -> headers.add(new Header(h.key(), h.value())));
        return new JobEnvelope(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(),
                record.value(), Collections.unmodifiableList(headers));
    }

    /** {@code topic/partition@offset}: names the record in logs, in result.json's source and in dead letters. */
    public String origin() {
        return topic + "/" + partition + "@" + offset;
    }

    /** The headers whose value is UTF-8 text, by key (see {@link RecordHeaders#utf8(List)}). */
    public Map<String, String> textHeaders() {
        return RecordHeaders.utf8(headers);
    }
}
