package io.imageworker.publish;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The CloudEvents attributes of the worker's result and progress events, written by the CloudEvents
 * SDK's Kafka protocol binding in binary mode: {@code ce_specversion} (1.0), {@code ce_id},
 * {@code ce_source}, {@code ce_type}, {@code ce_time}, {@code ce_subject} (the job id),
 * {@code ce_dataschema} (the event's JSON Schema id) and {@code content-type}
 * ({@code application/json}). The value stays the event's JSON, so consumers that ignore the
 * headers read exactly what they read before.
 */
public final class CloudEventHeaders {

    /** {@code type} of result events. */
    public static final String RESULT_TYPE = "io.imageworker.result.v1";
    /** {@code type} of progress events. */
    public static final String PROGRESS_TYPE = "io.imageworker.progress.v1";

    private final URI source;

    /**
     * @param source the {@code source} attribute, a URI reference ({@code /image-worker/worker-1})
     * @throws IllegalArgumentException when {@code source} is not a URI reference
     */
    public CloudEventHeaders(String source) {
        try {
            this.source = new URI(source);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the CloudEvents source '" + source + "' is not a URI reference: "
                    + e.getMessage(), e);
        }
        if (source.isEmpty()) {
            throw new IllegalArgumentException("the CloudEvents source is empty");
        }
    }

    /** The default source of a worker: {@code /image-worker/<workerId>} (the id percent-encoded where a URI needs it). */
    public static String defaultSource(String workerId) {
        try {
            return new URI(null, null, "/image-worker/" + workerId.replace("/", "-"), null).toASCIIString();
        } catch (URISyntaxException e) {
            return "/image-worker";
        }
    }

    /** The {@code source} attribute. */
    public URI source() {
        return source;
    }

    /**
     * The binary-mode headers of one event, in the SDK's order.
     *
     * <p>The id is a name-based UUID of the type, the subject and the event's bytes: unique to each
     * distinct event (every result and progress event carries its own time), and the same when one
     * event is published again unchanged, so a consumer may dedupe on {@code source} + {@code id}.
     *
     * @param type {@link #RESULT_TYPE} or {@link #PROGRESS_TYPE}
     * @param subject the job id
     * @param time when the event happened
     * @param dataSchema {@code $id} of the event's JSON Schema
     * @param data the event's JSON, the record's value
     */
    public List<Map.Entry<String, byte[]>> headers(String type, String subject, Instant time, String dataSchema,
            byte[] data) {
        byte[] name = (type + "\n" + subject + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[name.length + data.length];
        System.arraycopy(name, 0, all, 0, name.length);
        System.arraycopy(data, 0, all, name.length, data.length);
        CloudEvent event = CloudEventBuilder.v1()
                .withId(UUID.nameUUIDFromBytes(all).toString())
                .withSource(source)
                .withType(type)
                .withSubject(subject)
                .withTime(time.atOffset(ZoneOffset.UTC))
                .withDataSchema(URI.create(dataSchema))
                .withData("application/json", data)
                .build();
        ProducerRecord<byte[], byte[]> record = KafkaMessageFactory.<byte[]>createWriter("unused", null).writeBinary(event);
        List<Map.Entry<String, byte[]>> out = new ArrayList<>();
        record.headers().forEach(h -> out.add(new SimpleImmutableEntry<>(h.key(), h.value())));
        return out;
    }
}
