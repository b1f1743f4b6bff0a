package io.imageworker.intake;

import io.imageworker.job.Rejection;
import io.imageworker.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.events.JobRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Pure logic: the envelopes the AWS path "S3 -> EventBridge or SNS or SQS -> a Kafka connector"
 * delivers S3's events in, each read to the job the plain {@code Records} document makes. The same
 * through the real broker and S3 server is in {@code NotificationJobTest}.
 */
class NotificationEnvelopesTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    /** A key with a space, a '+', a '%' and a non-ASCII letter: each envelope writes it its own way. */
    static final String KEY = "uploads/red flower+1 100% \u2713.png";

    final NotificationRules rules = new NotificationRules(List.of(NotificationRulesTest.UPLOADS), List.of(".png", ".jpg"),
            NotificationRulesTest.MAX, Set.of("images"), NotificationRulesTest.SCHEMAS, 1 << 20);

    @Test
    void eventBridgesObjectCreatedIsTheJobOfThePlainDocument() throws Exception {
        NotificationRules.Job plain = job(records("ObjectCreated:Put", KEY, 290, "e9eb", "v1", "0F1"));
        NotificationRules.Job bridged = job(eventBridge("Object Created", "PutObject", KEY, 290L, "e9eb", "v1", "0F1"));
        assertSameJob(bridged, plain);
        assertThat(bridged.request().inputs()).containsExactly(new JobRequest.Input("s3://images/" + KEY, KEY));
        assertThat(bridged.request().metadata()).containsEntry("s3.eventName", "ObjectCreated:Put")
                .containsEntry("s3.versionId", "v1").containsEntry("s3.eTag", "e9eb").containsEntry("s3.sequencer", "0F1")
                .containsEntry("s3.eventTime", "2026-12-01T10:00:00Z");
    }

    @Test
    void eventBridgeKeysAreTakenAsTheyAreNotDecoded() throws Exception {
        // What would be escapes in the Records document are characters of the key here.
        for (String key : List.of("uploads/a+b.png", "uploads/a b.png", "uploads/a%2Bb.png", "uploads/%E2%9C%93.png",
                "uploads/100%.png", "uploads/K\u00f6ln/\ud83d\udcf7 1.png")) {
            NotificationRules.Job j = job(eventBridge("Object Created", "PutObject", key, 10L, "e", null, "1"));
            assertThat(j.request().inputs().get(0).id()).as(key).isEqualTo(key);
            assertThat(j.request().inputs().get(0).uri()).as(key).isEqualTo("s3://images/" + key);
            assertThat(j.request().jobId()).as(key)
                    .isEqualTo(job(records("ObjectCreated:Put", key, 10, "e", null, "1")).request().jobId());
        }
    }

    @Test
    void eventBridgeReasonsAndDetailTypesMapToS3sEventNames() throws Exception {
        // AWS's table of S3 event types and EventBridge detail types, read back.
        assertThat(event(eventBridge("Object Created", "PutObject", KEY, 1L, "e", null, "1")).eventName()).isEqualTo("ObjectCreated:Put");
        assertThat(event(eventBridge("Object Created", "POST Object", KEY, 1L, "e", null, "1")).eventName()).isEqualTo("ObjectCreated:Post");
        assertThat(event(eventBridge("Object Created", "CopyObject", KEY, 1L, "e", null, "1")).eventName()).isEqualTo("ObjectCreated:Copy");
        assertThat(event(eventBridge("Object Created", "CompleteMultipartUpload", KEY, 1L, "e", null, "1")).eventName())
                .isEqualTo("ObjectCreated:CompleteMultipartUpload");
        for (String reason : List.of("PutObject", "POST Object", "CopyObject", "CompleteMultipartUpload")) {
            assertThat(rules.read(eventBridge("Object Created", reason, KEY, 1L, "e", null, "1")).get(0)).as(reason)
                    .isInstanceOf(NotificationRules.Job.class);
        }
        ObjectNode deleted = JSON.readValue(eventBridge("Object Deleted", "DeleteObject", KEY, null, null, "v2", "2"), ObjectNode.class);
        ((ObjectNode) deleted.get("detail")).put("deletion-type", "Delete Marker Created");
        assertThat(event(JSON.writeValueAsBytes(deleted)).eventName()).isEqualTo("ObjectRemoved:DeleteMarkerCreated");
        ((ObjectNode) deleted.get("detail")).put("deletion-type", "Permanently Deleted").put("reason", "Lifecycle Expiration");
        assertThat(event(JSON.writeValueAsBytes(deleted)).eventName()).isEqualTo("LifecycleExpiration:Delete");
    }

    @Test
    void eventBridgesOtherDetailTypesAreSkippedAndCounted() throws Exception {
        assertThat(reason(eventBridge("Object Deleted", "DeleteObject", KEY, null, null, null, "2"))).isEqualTo("deletion");
        assertThat(reason(eventBridge("Object Deleted", "Lifecycle Expiration", KEY, null, null, null, "2"))).isEqualTo("deletion");
        for (String type : List.of("Object Tags Added", "Object Tags Deleted", "Object ACL Updated", "Object Restore Initiated",
                "Object Restore Completed", "Object Restore Expired", "Object Storage Class Changed",
                "Object Access Tier Changed", "Async Copy Completion", "Something New")) {
            assertThat(reason(eventBridge(type, null, KEY, 290L, "e", null, null))).as(type).isEqualTo("other-event");
        }
        // An Object Created whose reason is not one of the four creating calls is no job either.
        assertThat(reason(eventBridge("Object Created", "RestoreObject", KEY, 290L, "e", null, "1"))).isEqualTo("other-event");
        assertThat(reason(eventBridge("Object Created", null, KEY, 290L, "e", null, "1"))).isEqualTo("other-event");
        // The rules still apply: another bucket, another prefix, a name, a size.
        assertThat(reason(eventBridge("Object Created", "PutObject", "elsewhere/a.png", 1L, "e", null, "1"))).isEqualTo("no-rule");
        assertThat(reason(eventBridge("Object Created", "PutObject", "uploads/a.txt", 1L, "e", null, "1"))).isEqualTo("not-an-image");
        assertThat(reason(eventBridge("Object Created", "PutObject", "uploads/a.png", NotificationRulesTest.MAX + 1, "e", null, "1")))
                .isEqualTo("too-large");
        ObjectNode other = JSON.readValue(eventBridge("Object Created", "PutObject", KEY, 1L, "e", null, "1"), ObjectNode.class);
        ((ObjectNode) other.get("detail").get("bucket")).put("name", "other-bucket");
        assertThat(reason(JSON.writeValueAsBytes(other))).isEqualTo("no-rule");
    }

    @Test
    void malformedEventBridgeEventsAreRejectedWithAReason() throws Exception {
        assertThat(rejection(bytes("{\"source\":\"aws.s3\",\"detail-type\":\"Object Created\",\"detail\":{\"bucket\":{\"name\":\"images\"},"
                + "\"object\":{\"key\":\"uploads/a.png\"},\"reason\":\"PutObject\"}}"))).as("a creation without size")
                .startsWith("invalid-notification: ").contains("size");
        assertThat(rejection(bytes("{\"source\":\"aws.s3\",\"detail-type\":\"Object Created\",\"detail\":{\"bucket\":{\"name\":\"images\"},"
                + "\"object\":{\"size\":1}}}"))).startsWith("invalid-notification: ").contains("key");
        assertThat(rejection(bytes("{\"source\":\"aws.ec2\",\"detail-type\":\"EC2 Instance State-change Notification\","
                + "\"detail\":{\"instance-id\":\"i-1\",\"state\":\"running\"}}"))).startsWith("invalid-notification: ").contains("source");
        assertThat(rejection(bytes("{\"source\":\"aws.s3\",\"detail-type\":\"Object Created\",\"detail\":{\"bucket\":{\"name\":\"images\"},"
                + "\"object\":{\"key\":\"\",\"size\":1}}}"))).startsWith("invalid-notification: ");
    }

    /** S3 -> SNS: the S3 document as the notification's Message, its key encoded as S3 encodes it. */
    @Test
    void anSnsNotificationIsTheJobOfTheDocumentItCarries() throws Exception {
        byte[] plain = records("ObjectCreated:Put", KEY, 290, "e", "v1", "0F1");
        assertSameJob(job(sns(plain)), job(plain));
        assertThat(job(sns(plain)).request().inputs().get(0).id()).isEqualTo(KEY);
        // EventBridge -> SNS carries EventBridge's event: its key as it is.
        assertSameJob(job(sns(eventBridge("Object Created", "PutObject", KEY, 290L, "e", "v1", "0F1"))), job(plain));
        // MinIO's document through SNS too, '/' encoded.
        assertThat(job(sns(NotificationRulesTest.minioRecord("s3:ObjectCreated:Put", true))).request().inputs().get(0).id())
                .isEqualTo("uploads/a b.png");
        assertThat(reason(sns(NotificationRulesTest.minioRecord("s3:ObjectCreated:PutTagging", true)))).isEqualTo("other-event");
    }

    /**
     * S3 -> SQS, EventBridge -> SQS, SNS -> SQS: a connector that writes the SQS message's body as
     * the record value hands on one of the documents above; SNS writes its JSON indented there.
     */
    @Test
    void sqsBodiesAreTheDocumentsTheyHold() throws Exception {
        NotificationRules.Job plain = job(records("ObjectCreated:Put", KEY, 290, "e", "v1", "0F1"));
        byte[] snsBody = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(JSON.readTree(sns(
                records("ObjectCreated:Put", KEY, 290, "e", "v1", "0F1"))));
        assertThat(new String(snsBody, StandardCharsets.UTF_8)).contains("\n  \"Type\" : \"Notification\"");
        assertSameJob(job(snsBody), plain);
        byte[] bridgeBody = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(JSON.readTree(
                eventBridge("Object Created", "PutObject", KEY, 290L, "e", "v1", "0F1")));
        assertSameJob(job(bridgeBody), plain);
    }

    @Test
    void snsSetUpMessagesAndTestEventsAreSkippedAndCounted() throws Exception {
        for (String type : List.of("SubscriptionConfirmation", "UnsubscribeConfirmation")) {
            List<NotificationRules.Outcome> out = rules.read(bytes("{\"Type\":\"" + type + "\",\"MessageId\":\"m\","
                    + "\"Token\":\"t\",\"TopicArn\":\"arn:aws:sns:us-east-1:111122223333:image-uploads\","
                    + "\"Message\":\"You have chosen to subscribe to the topic arn:aws:sns:us-east-1:111122223333:image-uploads.\","
                    + "\"SubscribeURL\":\"https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription\"}"));
            assertThat(out).hasSize(1);
            assertThat(((NotificationRules.Skip) out.get(0)).reason()).as(type).isEqualTo("test-event");
            assertThat(((NotificationRules.Skip) out.get(0)).detail()).isEqualTo("SNS " + type);
        }
        // S3's test event, sent when the bucket's notifications to the topic are set up.
        assertThat(reason(sns(bytes("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-11-30T10:00:00.000Z\","
                + "\"Bucket\":\"images\",\"RequestId\":\"R\",\"HostId\":\"H\"}")))).isEqualTo("test-event");
    }

    @Test
    void malformedSnsMessagesAreRejectedNamingTheMessage() throws Exception {
        assertThat(rejection(sns(bytes("not json")))).startsWith("invalid-notification: Message: ").contains("not JSON");
        assertThat(rejection(sns(bytes("{\"jobId\":\"j\",\"task\":\"classify\"}"))))
                .startsWith("invalid-notification: Message: the event is not an S3 event notification");
        assertThat(rejection(sns(records("ObjectCreated:Put", "uploads/a.png", 1, "e", null, "1")))).isEqualTo("accepted");
        byte[] badKey = bytes("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"images\"},"
                + "\"object\":{\"key\":\"uploads/%ZZ.png\",\"size\":1}}}]}");
        assertThat(rejection(sns(badKey))).startsWith("invalid-notification: Message: Records[0].s3.object.key")
                .contains("two hex digits");
        assertThat(rejection(sns(sns(records("ObjectCreated:Put", KEY, 1, "e", null, "1")))))
                .startsWith("invalid-notification: Message: an SNS Notification inside");
        assertThat(rejection(bytes("{\"Type\":\"Notification\",\"Message\":\"\"}"))).startsWith("invalid-notification: ");
        assertThat(rejection(bytes("{\"Type\":\"Notification\",\"Message\":{\"Records\":[]}}"))).startsWith("invalid-notification: ");
        assertThat(rejection(bytes("{\"Type\":\"Unknown\",\"Message\":\"x\"}"))).startsWith("invalid-notification: ").contains("Type");
        // An unpaired surrogate escaped inside the Message is no Unicode text.
        assertThat(rejection(bytes("{\"Type\":\"Notification\",\"Message\":\"{\\\"Records\\\":[{\\\"eventName\\\":\\\"ObjectCreated:Put\\\","
                + "\\\"s3\\\":{\\\"bucket\\\":{\\\"name\\\":\\\"images\\\"},\\\"object\\\":{\\\"key\\\":\\\"a\\\\ud800.png\\\",\\\"size\\\":1}}}]}\"}")))
                .startsWith("invalid-notification: Message: ").contains("surrogate");
    }

    @Test
    void theSchemaExamplesOfEachEnvelopeMakeOneJob() throws Exception {
        NotificationRules.Job put = (NotificationRules.Job) rules.read(Files.readAllBytes(Repo.path("schemas/examples/s3-notification-put.json"))).get(0);
        // The example's key ends in .jpg: the rules above take .jpg too.
        assertSameJob((NotificationRules.Job) rules.read(Files.readAllBytes(Repo.path("schemas/examples/s3-notification-eventbridge.json"))).get(0), put);
        assertSameJob((NotificationRules.Job) rules.read(Files.readAllBytes(Repo.path("schemas/examples/s3-notification-sns.json"))).get(0), put);
    }

    // --- envelopes, as AWS writes them

    /** The Records document as AWS S3 writes it: the key encoded the form way, '/' left as is. */
    static byte[] records(String eventName, String key, long size, String etag, String versionId, String sequencer) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : key.split("/", -1)) {
            encoded.append(encoded.length() == 0 ? "" : "/").append(URLEncoder.encode(segment, StandardCharsets.UTF_8));
        }
        return bytes("{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
                + "\"eventTime\":\"2026-12-01T10:00:00.000Z\",\"eventName\":\"" + eventName + "\",\"s3\":{\"s3SchemaVersion\":\"1.0\","
                + "\"bucket\":{\"name\":\"images\",\"arn\":\"arn:aws:s3:::images\"},\"object\":{\"key\":\"" + encoded
                + "\",\"size\":" + size + ",\"eTag\":\"" + etag + "\"" + (versionId == null ? "" : ",\"versionId\":\"" + versionId + "\"")
                + (sequencer == null ? "" : ",\"sequencer\":\"" + sequencer + "\"") + "}}}]}");
    }

    /** S3's event as EventBridge delivers it (the key as it is). */
    static byte[] eventBridge(String detailType, String reason, String key, Long size, String etag, String versionId,
            String sequencer) {
        ObjectNode root = JSON.createObjectNode().put("version", "0").put("id", "0b5c1e1a-0000-0000-0000-000000000001")
                .put("detail-type", detailType).put("source", "aws.s3").put("account", "123456789012")
                .put("time", "2026-12-01T10:00:00Z").put("region", "us-east-1");
        root.putArray("resources").add("arn:aws:s3:::images");
        ObjectNode detail = root.putObject("detail").put("version", "0");
        detail.putObject("bucket").put("name", "images");
        ObjectNode object = detail.putObject("object").put("key", key);
        if (size != null) {
            object.put("size", size);
        }
        if (etag != null) {
            object.put("etag", etag);
        }
        if (versionId != null) {
            object.put("version-id", versionId);
        }
        if (sequencer != null) {
            object.put("sequencer", sequencer);
        }
        detail.put("request-id", "EB1").put("requester", "123456789012").put("source-ip-address", "203.0.113.9");
        if (reason != null) {
            detail.put("reason", reason);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SNS notification carrying {@code message} (as SNS delivers to SQS without raw message delivery). */
    static byte[] sns(byte[] message) {
        ObjectNode root = JSON.createObjectNode().put("Type", "Notification").put("MessageId", "2f5c3e8a-7d1b-5c55-9d3c-1e0f4b6a9c21")
                .put("TopicArn", "arn:aws:sns:us-east-1:123456789012:image-uploads").put("Subject", "Amazon S3 Notification")
                .put("Message", new String(message, StandardCharsets.UTF_8)).put("Timestamp", "2026-12-01T10:00:01.000Z")
                .put("SignatureVersion", "1").put("Signature", "EXAMPLE==")
                .put("SigningCertURL", "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0.pem")
                .put("UnsubscribeURL", "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe");
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- helpers

    static void assertSameJob(NotificationRules.Job actual, NotificationRules.Job expected) {
        assertThat(actual.request().jobId()).isEqualTo(expected.request().jobId());
        assertThat(actual.request().inputs()).isEqualTo(expected.request().inputs());
        assertThat(actual.request().task()).isEqualTo(expected.request().task());
        assertThat(actual.request().outputUri()).isEqualTo(expected.request().outputUri());
        assertThat(actual.rule()).isEqualTo(expected.rule());
        assertThat(actual.event().bucket()).isEqualTo(expected.event().bucket());
        assertThat(actual.event().key()).isEqualTo(expected.event().key());
        assertThat(actual.event().size()).isEqualTo(expected.event().size());
        assertThat(actual.event().eTag()).isEqualTo(expected.event().eTag());
        assertThat(actual.event().versionId()).isEqualTo(expected.event().versionId());
        assertThat(actual.event().sequencer()).isEqualTo(expected.event().sequencer());
        assertThat(actual.event().eventName()).isEqualTo(expected.event().eventName());
    }

    NotificationRules.Job job(byte[] value) throws Rejection.Exception {
        List<NotificationRules.Outcome> out = rules.read(value);
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).isInstanceOf(NotificationRules.Job.class);
        return (NotificationRules.Job) out.get(0);
    }

    S3Notification.ObjectEvent event(byte[] value) throws Rejection.Exception {
        S3Notification.Document doc = S3Notification.read(value, NotificationRulesTest.SCHEMAS, 1 << 20);
        assertThat(doc.records()).hasSize(1);
        return doc.records().get(0);
    }

    String reason(byte[] value) throws Rejection.Exception {
        List<NotificationRules.Outcome> out = rules.read(value);
        assertThat(out).hasSize(1);
        return ((NotificationRules.Skip) out.get(0)).reason();
    }

    /** "code: reason" of the rejection, or "accepted". */
    String rejection(byte[] value) {
        try {
            rules.read(value);
            return "accepted";
        } catch (Rejection.Exception e) {
            return e.rejection().code() + ": " + e.rejection().reason();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
