package io.imageworker.intake;

import org.awaitility.Awaitility;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import io.imageworker.storage.S3Location;
import io.imageworker.testing.Digits;
import io.imageworker.testing.EventLog;
import io.imageworker.testing.LocalStack;
import io.imageworker.testing.StackResource;
import io.imageworker.testing.WorkerTest;
import io.micrometer.core.instrument.Counter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * S3 event notifications, in the exact format AWS S3 writes and MinIO's Kafka target publishes,
 * produced to the real broker's notifications topic (see {@link StackResource} for the rules: under
 * {@code uploads/} classify with topK 2, written under {@code s3://results/uploads/}; under
 * {@code uploads/scans/} properties), with the images in the real object store.
 */
@QuarkusTest
@WithTestResource(StackResource.class)
class NotificationJobTest extends WorkerTest {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final String TOPIC = LocalStack.NOTIFICATIONS_TOPIC;

    @Test
    void anUploadedImageIsClassifiedAndItsKeyIsDecodedSpacesPlusAndUnicode() throws Exception {
        String key = "uploads/red flower+1 \u2713 K\u00f6ln " + UUID.randomUUID() + ".png";
        byte[] png = Digits.png(7);
        upload(key, png);
        String etag = "etag-" + UUID.randomUUID();
        events.produce(TOPIC, "images/" + key, aws("ObjectCreated:Put", key, png.length, etag));

        JsonNode result = resultFor(key);
        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("task").asText()).isEqualTo("classify");
        JsonNode item = result.path("items").get(0);
        assertThat(item.path("uri").asText()).isEqualTo("s3://images/" + key);
        assertThat(item.path("labels")).as("the rule's topK").hasSize(2);
        assertThat(item.path("labels").get(0).path("label").asText()).isEqualTo(Integer.toString(Digits.label(7)));
        String jobId = result.path("jobId").asText();
        assertThat(jobId).matches("s3-[0-9a-f]{40}");
        assertThat(result.path("outputUri").asText()).isEqualTo("s3://results/uploads/" + jobId + "/");
        assertThat(store.head(new S3Location("results", "uploads/" + jobId + "/result.json"))).isPresent();
        assertThat(result.path("metadata").path("s3.eTag").asText()).isEqualTo(etag);
        assertThat(result.path("metadata").path("notification.rule").asText()).isEqualTo("uploads");
    }

    @Test
    void aRedeliveredNotificationOfTheSameObjectVersionRunsOnce() throws Exception {
        String key = "uploads/again " + UUID.randomUUID() + ".png";
        byte[] png = Digits.png(3);
        upload(key, png);
        byte[] notification = aws("ObjectCreated:Put", key, png.length, "etag-1");
        double before = skipped("duplicate");
        // Twice at once (the second finds the first in flight or finished), once after its result.
        events.produce(TOPIC, "images/" + key, notification);
        events.produce(TOPIC, "images/" + key, notification);
        String jobId = resultFor(key).path("jobId").asText();
        RecordMetadata third = events.produce(TOPIC, "images/" + key, notification, List.of());
        IntakeFaultsTest.awaitCommitted(third);

        assertThat(events.results(jobId)).as("one result for one object version").hasSize(1);
        assertThat(skipped("duplicate") - before).isEqualTo(2);
        assertThat(events.on("image-jobs-dlq")).noneMatch(r -> jobId.equals(EventLog.header(r, "dlq-job-id")));

        // The same key uploaded again (a new ETag and sequencer) is a new version: a new job.
        events.produce(TOPIC, "images/" + key, aws("ObjectCreated:Put", key, png.length, "etag-2"));
        Awaitility.await("a second job for the new version").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> results(key).size() >= 2);
        assertThat(results(key)).extracting(r -> r.path("jobId").asText()).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void minioRecordsWithAnEncodedSlashFollowTheMostSpecificRule() throws Exception {
        String key = "uploads/scans/\ud83d\udcf7 scan+" + UUID.randomUUID() + ".png";
        byte[] png = Digits.png(1);
        upload(key, png);
        events.produce(TOPIC, "images/" + key, minio(key, png.length));

        JsonNode result = resultFor(key);
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("task").asText()).as("the uploads/scans/ rule").isEqualTo("properties");
        assertThat(result.path("outputUri").asText()).isEqualTo("s3://results/jobs/" + result.path("jobId").asText() + "/");
    }

    @Test
    void deletionsOtherObjectsAndTooLargeOnesAreSkippedAndCountedNeverFetched() throws Exception {
        String id = UUID.randomUUID().toString();
        String[] reasons = {"deletion", "not-an-image", "too-large", "no-rule", "test-event"};
        double[] before = new double[reasons.length];
        for (int i = 0; i < reasons.length; i++) {
            before[i] = skipped(reasons[i]);
        }
        // None of these objects exists: a fetch would end in a not-found result. One key: one partition.
        String k = "skips-" + id;
        events.produce(TOPIC, k, aws("ObjectRemoved:Delete", "uploads/gone " + id + ".png", -1, null));
        events.produce(TOPIC, k, aws("ObjectCreated:Put", "uploads/notes " + id + ".txt", 120, "e"));
        events.produce(TOPIC, k, aws("ObjectCreated:Put", "uploads/huge " + id + ".png", 50_000_000L, "e"));
        events.produce(TOPIC, k, aws("ObjectCreated:Put", "elsewhere/a " + id + ".png", 120, "e"));
        events.produce(TOPIC, k, ("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-11-30T10:00:00.000Z\","
                + "\"Bucket\":\"images\",\"RequestId\":\"5582815E1AEA5ADF\",\"HostId\":\"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE\"}")
                .getBytes(StandardCharsets.UTF_8));
        // Committed past the last one: the partition passed them all.
        IntakeFaultsTest.awaitCommitted(events.produce(TOPIC, k, aws("ObjectRemoved:Delete", "uploads/x.png", -1, null),
                List.of()));
        for (int i = 0; i < reasons.length; i++) {
            assertThat(skipped(reasons[i]) - before[i]).as(reasons[i]).isGreaterThanOrEqualTo(1);
        }
        assertThat(events.on("image-results")).noneMatch(r -> EventLog.json(r).path("metadata").path("s3.key").asText().contains(id));
    }

    @Test
    void malformedNotificationsAreDeadLetteredWithAReason() throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] badKey = ("{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\","
                + "\"s3\":{\"bucket\":{\"name\":\"images\"},\"object\":{\"key\":\"uploads/" + id + "%ZZ.png\",\"size\":10}}}]}")
                .getBytes(StandardCharsets.UTF_8);
        events.produce(TOPIC, "bad-" + id, badKey);
        ConsumerRecord<byte[], byte[]> dead = events.await("image-jobs-dlq", r -> ("bad-" + id).equals(EventLog.key(r)), WAIT);
        JsonNode envelope = EventLog.headers(dead);
        assertValid(EventSchemas.Contract.DEAD_LETTER, envelope);
        assertThat(envelope.path("dlq-reason-code").asText()).isEqualTo("invalid-notification");
        assertThat(envelope.path("dlq-reason").asText()).contains("Records[0].s3.object.key").contains("two hex digits");
        assertThat(envelope.path("dlq-original-topic").asText()).isEqualTo(TOPIC);
        assertThat(dead.value()).isEqualTo(badKey);

        events.produce(TOPIC, "nojson-" + id, "<xml/>".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> notJson = events.await("image-jobs-dlq", r -> ("nojson-" + id).equals(EventLog.key(r)), WAIT);
        assertThat(EventLog.header(notJson, "dlq-reason-code")).isEqualTo("not-json");
    }

    @Test
    void oneNotificationWithTwoRecordsIsTwoJobs() throws Exception {
        String a = "uploads/pair a " + UUID.randomUUID() + ".png";
        String b = "uploads/pair b " + UUID.randomUUID() + ".png";
        upload(a, Digits.png(2));
        upload(b, Digits.png(5));
        String doc = "{\"Records\":[" + record("ObjectCreated:Put", a, Digits.png(2).length, "ea") + ","
                + record("ObjectCreated:CompleteMultipartUpload", b, Digits.png(5).length, "eb") + "]}";
        events.produce(TOPIC, null, doc.getBytes(StandardCharsets.UTF_8));
        assertThat(resultFor(a).path("items").get(0).path("labels").get(0).path("label").asText())
                .isEqualTo(Integer.toString(Digits.label(2)));
        assertThat(resultFor(b).path("items").get(0).path("labels").get(0).path("label").asText())
                .isEqualTo(Integer.toString(Digits.label(5)));
    }

    /**
     * MinIO files tag, retention and legal-hold changes under ObjectCreated. A consumer that tags
     * what it processed gets one for each object it tagged: none is a job (which would be served
     * again and tagged again, forever), none is dead-lettered, each is counted.
     */
    @Test
    void tagRetentionAndLegalHoldChangesOfAnExistingObjectAreNoJobNorDeadLetterButCounted() throws Exception {
        String key = "uploads/tagged " + UUID.randomUUID() + ".png";
        byte[] png = Digits.png(4);
        upload(key, png);
        double before = skipped("other-event");
        List<String> names = List.of("PutTagging", "DeleteTagging", "PutRetention", "PutLegalHold");
        for (String name : names) {
            events.produce(TOPIC, "images/" + key, minio("s3:ObjectCreated:" + name, key, png.length));
        }
        // Committed past a deletion after them: the partition passed them all.
        IntakeFaultsTest.awaitCommitted(events.produce(TOPIC, "images/" + key, aws("ObjectRemoved:Delete",
                "uploads/none " + UUID.randomUUID() + ".png", -1, null), List.of()));

        assertThat(skipped("other-event") - before).isGreaterThanOrEqualTo(names.size());
        assertThat(results(key)).as("no job for a tag change").isEmpty();
        assertThat(events.on("image-jobs-dlq")).noneMatch(r -> ("images/" + key).equals(EventLog.key(r)));
        // The same object's upload is still a job.
        events.produce(TOPIC, "images/" + key, minio("s3:ObjectCreated:Put", key, png.length));
        assertThat(resultFor(key).path("items").get(0).path("labels").get(0).path("label").asText())
                .isEqualTo(Integer.toString(Digits.label(4)));
        assertThat(results(key)).hasSize(1);
    }

    /**
     * S3 -> EventBridge -> (SQS ->) a Kafka connector: EventBridge's event, its key as it is (a
     * space and a '+'), is the job the plain S3 document of the same object version makes: the same
     * id, so the plain document delivered after it is a duplicate.
     */
    @Test
    void anEventBridgeEventIsTheJobThePlainDocumentMakes() throws Exception {
        String key = "uploads/bridged a+b " + UUID.randomUUID() + ".png";
        byte[] png = Digits.png(6);
        upload(key, png);
        byte[] bridged = NotificationEnvelopesTest.eventBridge("Object Created", "PutObject", key, (long) png.length,
                "eb-etag", null, "0F1");
        assertThat(new String(bridged, StandardCharsets.UTF_8)).contains("\"key\":\"" + key + "\"");
        events.produce(TOPIC, "images/" + key, bridged);
        assertSameJobAsThePlainDocument(key, 6, awsWith(key, png.length, "eb-etag", "0F1"));
    }

    /**
     * S3 -> SNS -> SQS -> a Kafka connector that writes the SQS body as the record value: an SNS
     * notification (indented, as SNS writes it into SQS) whose Message is S3's document, its key
     * encoded ('+' a space, %2B a '+').
     */
    @Test
    void anSnsNotificationInAnSqsBodyIsTheJobThePlainDocumentMakes() throws Exception {
        String key = "uploads/via sns a+b " + UUID.randomUUID() + ".png";
        byte[] png = Digits.png(8);
        upload(key, png);
        byte[] plain = awsWith(key, png.length, "sns-etag", "0A2");
        assertThat(new String(plain, StandardCharsets.UTF_8)).contains("via+sns+a%2Bb+");
        byte[] sqsBody = NotificationEnvelopesTest.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(
                NotificationEnvelopesTest.JSON.readTree(NotificationEnvelopesTest.sns(plain)));
        events.produce(TOPIC, "images/" + key, sqsBody);
        assertSameJobAsThePlainDocument(key, 8, plain);
    }

    /** The result of the job an envelope made for {@code key}, then the plain document of the same version: a duplicate. */
    void assertSameJobAsThePlainDocument(String key, int digit, byte[] plain) throws Exception {
        JsonNode result = resultFor(key);
        assertValid(EventSchemas.Contract.RESULT, result);
        assertThat(result.path("status").asText()).isEqualTo("succeeded");
        assertThat(result.path("task").asText()).as("the uploads/ rule").isEqualTo("classify");
        assertThat(result.path("items").get(0).path("uri").asText()).isEqualTo("s3://images/" + key);
        assertThat(result.path("items").get(0).path("labels").get(0).path("label").asText())
                .isEqualTo(Integer.toString(Digits.label(digit)));
        assertThat(result.path("metadata").path("s3.eventName").asText()).isEqualTo("ObjectCreated:Put");
        String jobId = result.path("jobId").asText();
        assertThat(jobId).isEqualTo(NotificationRules.jobId(S3Notification.read(plain, SCHEMAS, 1 << 20).records().get(0)));

        double duplicates = skipped("duplicate");
        IntakeFaultsTest.awaitCommitted(events.produce(TOPIC, "images/" + key, plain, List.of()));
        assertThat(skipped("duplicate") - duplicates).isGreaterThanOrEqualTo(1);
        assertThat(results(key)).as("one object version, one job, whatever the envelope").hasSize(1);
        assertThat(events.on("image-jobs-dlq")).noneMatch(r -> ("images/" + key).equals(EventLog.key(r)));
    }

    // --- notifications as AWS S3 and MinIO write them

    /** A one-record document as AWS S3 writes it, with the ETag and sequencer given. */
    static byte[] awsWith(String key, long size, String etag, String sequencer) {
        return new String(aws("ObjectCreated:Put", key, size, etag), StandardCharsets.UTF_8)
                .replace("\"sequencer\":\"0055AED6DCD90281E5\"", "\"sequencer\":\"" + sequencer + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A one-record document as AWS S3 writes it; the key encoded the form way, '/' left as is. */
    static byte[] aws(String eventName, String key, long size, String etag) {
        return ("{\"Records\":[" + record(eventName, key, size, etag) + "]}").getBytes(StandardCharsets.UTF_8);
    }

    static String record(String eventName, String key, long size, String etag) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : key.split("/", -1)) {
            encoded.append(encoded.length() == 0 ? "" : "/").append(URLEncoder.encode(segment, StandardCharsets.UTF_8));
        }
        String object = "\"key\":\"" + encoded + "\"" + (size >= 0 ? ",\"size\":" + size : "")
                + (etag != null ? ",\"eTag\":\"" + etag + "\"" : "") + ",\"sequencer\":\"0055AED6DCD90281E5\"";
        return "{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
                + "\"eventTime\":\"2026-11-30T10:15:42.123Z\",\"eventName\":\"" + eventName + "\","
                + "\"userIdentity\":{\"principalId\":\"AWS:AIDAEXAMPLE\"},\"requestParameters\":{\"sourceIPAddress\":\"203.0.113.7\"},"
                + "\"responseElements\":{\"x-amz-request-id\":\"C3D13FE58DE4C810\",\"x-amz-id-2\":\"FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD\"},"
                + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"image-uploads\","
                + "\"bucket\":{\"name\":\"images\",\"ownerIdentity\":{\"principalId\":\"A3NL1KOZZKExample\"},\"arn\":\"arn:aws:s3:::images\"},"
                + "\"object\":{" + object + "}}}";
    }

    /** A document as MinIO's Kafka target publishes it: EventName and Key on top, 's3:' names, '/' encoded too. */
    static byte[] minio(String key, long size) {
        return minio("s3:ObjectCreated:Put", key, size);
    }

    /** The same, of the event named (MinIO's name, with its 's3:' prefix). */
    static byte[] minio(String eventName, String key, long size) {
        String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8);
        return ("{\"EventName\":\"" + eventName + "\",\"Key\":\"images/" + key + "\",\"Records\":[{\"eventVersion\":\"2.0\","
                + "\"eventSource\":\"minio:s3\",\"awsRegion\":\"\",\"eventTime\":\"2026-11-30T10:15:42.123Z\","
                + "\"eventName\":\"" + eventName + "\",\"userIdentity\":{\"principalId\":\"minioadmin\"},"
                + "\"requestParameters\":{\"principalId\":\"minioadmin\",\"region\":\"\",\"sourceIPAddress\":\"127.0.0.1\"},"
                + "\"responseElements\":{\"x-amz-request-id\":\"1798B5C1F5B12A13\"},"
                + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"Config\",\"bucket\":{\"name\":\"images\","
                + "\"ownerIdentity\":{\"principalId\":\"minioadmin\"},\"arn\":\"arn:aws:s3:::images\"},"
                + "\"object\":{\"key\":\"" + encoded + "\",\"size\":" + size + ",\"eTag\":\"5d1a0b5a0e1f3e5c\","
                + "\"contentType\":\"image/png\",\"userMetadata\":{\"content-type\":\"image/png\"},\"sequencer\":\"1798B5C1F5C4F0A9\"}},"
                + "\"source\":{\"host\":\"127.0.0.1\",\"port\":\"\",\"userAgent\":\"MinIO (linux; amd64) minio-go/v7.0.70\"}}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    // --- helpers

    /** The result of the job made for {@code key}, found by the decoded key it echoes (not by an id the test computes). */
    static JsonNode resultFor(String key) {
        return EventLog.json(events.await("image-results",
                r -> key.equals(EventLog.json(r).path("metadata").path("s3.key").asText(null)), WAIT));
    }

    static List<JsonNode> results(String key) {
        return events.on("image-results").stream().map(EventLog::json)
                .filter(r -> key.equals(r.path("metadata").path("s3.key").asText(null))).toList();
    }

    double skipped(String reason) {
        Counter c = worker.metrics().registry().find("image_worker_notifications_skipped").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }
}
