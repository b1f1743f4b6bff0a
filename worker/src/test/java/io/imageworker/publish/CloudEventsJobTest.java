package io.imageworker.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.imageworker.events.EventSchemas;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.LocalStack;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * CloudEvents through the real broker, read and written with the CloudEvents SDK on the test's side:
 * jobs produced as CloudEvents (binary and structured mode) run; result and progress events, read
 * by a plain Kafka consumer, parse as binary-mode CloudEvents whose data is the event's JSON.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class CloudEventsJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aJobSentAsABinaryCloudEventRunsAndItsResultIsACloudEvent() throws Exception {
        String jobId = "ce-binary-" + UUID.randomUUID();
        String uri = upload(jobId + ".png", Digits.png(8));
        CloudEvent job = job(jobId, uri);
        List<Header> extra = List.of(new RecordHeader("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("x-trace", null)); // a null-valued header, as kcat -H x-trace writes: must not matter
        send(Encoding.BINARY, jobId, job, extra);

        ConsumerRecord<byte[], byte[]> record = events.await("image-results", r -> jobId.equals(EventLog.key(r)), WAIT);
        JsonNode result = EventLog.json(record);
        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("items").get(0).path("labels").get(0).path("label").asText())
                .isEqualTo(Integer.toString(Digits.label(8)));

        CloudEvent ce = KafkaMessageFactory.createReader(record).toEvent();
        assertThat(ce.getSpecVersion()).isEqualTo(SpecVersion.V1);
        assertThat(ce.getType()).isEqualTo("io.imageworker.result.v1");
        assertThat(ce.getSubject()).isEqualTo(jobId);
        assertThat(ce.getSource().toString()).startsWith("/image-worker/");
        assertThat(ce.getId()).isNotBlank().isNotEqualTo(job.getId());
        assertThat(ce.getTime()).isEqualTo(OffsetDateTime.parse(result.path("finishedAt").asText()));
        assertThat(ce.getDataContentType()).isEqualTo("application/json");
        assertThat(ce.getDataSchema()).isEqualTo(URI.create(EventSchemas.RESULT_ID));
        assertThat(ce.getData().toBytes()).isEqualTo(record.value());
        assertThat(EventLog.header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(EventLog.header(record, "content-type")).isEqualTo("application/json");
        assertThat(EventLog.header(record, "schema")).isEqualTo(EventSchemas.RESULT_ID);
        assertThat(EventLog.header(record, "traceparent")).as("the trace context still passes").contains("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(record.headers().headers("content-type")).as("one content-type").hasSize(1);
    }

    @Test
    void aJobSentAsAStructuredCloudEventRuns() throws Exception {
        String jobId = "ce-structured-" + UUID.randomUUID();
        String uri = upload(jobId + ".png", Digits.png(9));
        send(Encoding.STRUCTURED, jobId, job(jobId, uri), List.of());

        JsonNode result = events.result(jobId, WAIT);
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("items").get(0).path("labels").get(0).path("label").asText())
                .isEqualTo(Integer.toString(Digits.label(9)));
    }

    @Test
    void cloudEventsThatCarryNoJobAreDeadLettered() throws Exception {
        String id = UUID.randomUUID().toString();
        String uri = upload("ce-bad-" + id + ".png", Digits.png(1));
        // Binary mode without ce_id: the SDK refuses it.
        events.produce("image-jobs", "no-id-" + id, job("no-id-" + id, uri).getData().toBytes(), List.<Header>of(
                new RecordHeader("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("ce_source", "/tests".getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("ce_type", "io.imageworker.job.v1".getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("content-type", "application/json".getBytes(StandardCharsets.UTF_8))));
        // Data that is not JSON.
        send(Encoding.BINARY, "xml-" + id, CloudEventBuilder.v1().withId(id).withSource(URI.create("/tests"))
                .withType("io.imageworker.job.v1").withData("application/xml", "<job/>".getBytes(StandardCharsets.UTF_8))
                .build(), List.of());

        for (String key : List.of("no-id-" + id, "xml-" + id)) {
            ConsumerRecord<byte[], byte[]> dead = events.await("image-jobs-dlq", r -> key.equals(EventLog.key(r)), WAIT);
            assertValid(EventSchemas.Contract.DEAD_LETTER, EventLog.headers(dead));
            assertThat(EventLog.header(dead, "dlq-reason-code")).isEqualTo("invalid-job");
            assertThat(EventLog.header(dead, "dlq-reason")).contains("CloudEvent");
        }
    }

    @Test
    void progressEventsAreCloudEventsToo() throws Exception {
        String jobId = "ce-progress-" + UUID.randomUUID();
        String prefix = "ce-progress/" + jobId + "/";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> uploads = new ArrayList<>();
        for (int i = 0; i < 100; i++) { // image-worker.progress.min-items
            int k = i;
            uploads.add(pool.submit(() -> {
                store.write(new S3Location("images", prefix + String.format("%03d.png", k)), Digits.png(k), "image/png");
                return null;
            }));
        }
        for (Future<?> f : uploads) {
            f.get();
        }
        pool.shutdown();
        events.produce("image-jobs", jobId, "{\"jobId\":\"" + jobId + "\",\"task\":\"classify\","
                + "\"inputPrefix\":\"s3://images/" + prefix + "\"}");
        events.result(jobId, WAIT);
        ConsumerRecord<byte[], byte[]> last = events.await("image-progress",
                r -> jobId.equals(EventLog.key(r)) && EventLog.json(r).path("done").asInt() == 100, WAIT);

        CloudEvent ce = KafkaMessageFactory.createReader(last).toEvent();
        assertThat(ce.getType()).isEqualTo("io.imageworker.progress.v1");
        assertThat(ce.getSubject()).isEqualTo(jobId);
        assertThat(ce.getTime()).isEqualTo(OffsetDateTime.parse(EventLog.json(last).path("at").asText()));
        assertThat(ce.getDataSchema()).isEqualTo(URI.create(EventSchemas.PROGRESS_ID));
        assertThat(ce.getData().toBytes()).isEqualTo(last.value());
        List<String> ids = events.on("image-progress").stream().filter(r -> jobId.equals(EventLog.key(r)))
                .map(r -> EventLog.header(r, "ce_id")).toList();
        assertThat(ids).as("an id per event").doesNotHaveDuplicates().doesNotContainNull();
    }

    static CloudEvent job(String jobId, String uri) {
        String json = "{\"jobId\":\"" + jobId + "\",\"task\":\"classify\",\"inputs\":[{\"uri\":\"" + uri + "\"}]}";
        return CloudEventBuilder.v1().withId(UUID.randomUUID().toString()).withSource(URI.create("/tests/submitter"))
                .withType("io.imageworker.job.v1").withSubject(jobId).withTime(OffsetDateTime.now())
                .withData("application/json", json.getBytes(StandardCharsets.UTF_8)).build();
    }

    /** Produces {@code event} with the SDK's own Kafka serializer, in {@code encoding}. */
    static void send(Encoding encoding, String key, CloudEvent event, List<Header> extra) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.shared().bootstrap());
        p.put(CloudEventSerializer.ENCODING_CONFIG, encoding);
        p.put(CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE);
        CloudEventSerializer serializer = new CloudEventSerializer();
        serializer.configure(p, false); // a serializer instance handed to the producer is not configured by it
        try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(p, new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>("image-jobs", null, key, event, extra)).get();
        }
    }
}
