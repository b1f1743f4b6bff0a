package io.imageworker.intake;

import io.imageworker.job.Rejection;
import io.imageworker.testing.Repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imageworker.events.EventSchemas;
import io.imageworker.events.JobRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Pure logic: S3 notification documents read (the schema's examples, AWS's and MinIO's shapes) and
 * routed by rules. The same path through the real broker is {@code NotificationJobTest}.
 */
class NotificationRulesTest {

    static final EventSchemas SCHEMAS = new EventSchemas();
    static final long MAX = 20L << 20;

    static final NotificationRules.Rule UPLOADS = new NotificationRules.Rule("uploads", "images", "uploads/", "classify",
            null, "{\"topK\":2}", "s3://results/uploads", 3);
    static final NotificationRules.Rule SCANS = new NotificationRules.Rule("scans", "images", "uploads/scans/",
            "properties", null, null, null, 0);

    final NotificationRules rules = new NotificationRules(List.of(UPLOADS, SCANS),
            List.of(".png", ".JPG", ".jpeg"), MAX, Set.of("images"), SCHEMAS, 1 << 20);

    @Test
    void keysAreDecodedTheFormWay() {
        assertThat(S3Notification.decodeKey("uploads/red+flower%2B1+%E2%9C%93.jpg")).isEqualTo("uploads/red flower+1 \u2713.jpg");
        assertThat(S3Notification.decodeKey("uploads%2Fa+b.png")).isEqualTo("uploads/a b.png");
        assertThat(S3Notification.decodeKey("K%C3%B6ln/%F0%9F%93%B7.png")).isEqualTo("K\u00f6ln/\ud83d\udcf7.png");
        assertThat(S3Notification.decodeKey("100%25.png")).isEqualTo("100%.png");
        // Characters a producer left unescaped stand for themselves.
        assertThat(S3Notification.decodeKey("K\u00f6ln/\ud83d\udcf7.png")).isEqualTo("K\u00f6ln/\ud83d\udcf7.png");
        assertThatThrownBy(() -> S3Notification.decodeKey("a%ZZ.png")).hasMessageContaining("two hex digits");
        assertThatThrownBy(() -> S3Notification.decodeKey("a%4.png")).hasMessageContaining("two hex digits");
        assertThatThrownBy(() -> S3Notification.decodeKey("a%")).hasMessageContaining("two hex digits");
        assertThatThrownBy(() -> S3Notification.decodeKey("caf%E9.png")).hasMessageContaining("not UTF-8");
    }

    @Test
    void theAwsExampleBecomesOneClassifyJob() throws Exception {
        List<NotificationRules.Outcome> out = rules.read(Files.readAllBytes(Repo.path("schemas/examples/s3-notification-put.json")));
        assertThat(out).hasSize(1);
        NotificationRules.Job job = (NotificationRules.Job) out.get(0);
        JobRequest r = job.request();
        String key = "uploads/red flower+1 \u2713.jpg";
        assertThat(r.task()).isEqualTo("classify");
        assertThat(r.inputs()).containsExactly(new JobRequest.Input("s3://images/" + key, key));
        assertThat(r.options().get("topK").asInt()).isEqualTo(2);
        assertThat(r.priority()).isEqualTo(3);
        assertThat(r.jobId()).matches("s3-[0-9a-f]{40}");
        assertThat(r.outputUri()).isEqualTo("s3://results/uploads/" + r.jobId() + "/");
        assertThat(r.metadata()).containsEntry("s3.key", key).containsEntry("s3.bucket", "images")
                .containsEntry("s3.eventName", "ObjectCreated:Put").containsEntry("notification.rule", "uploads")
                .containsEntry("s3.versionId", "096fKKXTRTtl3on89fVO.nfljtsv6qko");
    }

    @Test
    void theMinioExampleIsReadWithItsPrefixedEventNameAndEncodedSlash() throws Exception {
        List<NotificationRules.Outcome> out = rules.read(Files.readAllBytes(Repo.path("schemas/examples/s3-notification-minio.json")));
        NotificationRules.Job job = (NotificationRules.Job) out.get(0);
        assertThat(job.event().eventName()).isEqualTo("ObjectCreated:Put");
        assertThat(job.request().inputs().get(0).uri()).isEqualTo("s3://images/uploads/a b.png");
    }

    @Test
    void theMostSpecificPrefixWins() throws Exception {
        NotificationRules.Job job = (NotificationRules.Job) rules.route(created("uploads/scans/p 1.png", 10));
        assertThat(job.rule()).isEqualTo("scans");
        assertThat(job.request().task()).isEqualTo("properties");
        assertThat(job.request().outputUri()).as("no output: the default location").isNull();
    }

    @Test
    void everythingElseIsSkippedWithAReason() throws Exception {
        assertThat(skip(event("ObjectRemoved:Delete", "images", "uploads/a.png", -1))).isEqualTo("deletion");
        assertThat(skip(event("ObjectRemoved:DeleteMarkerCreated", "images", "uploads/a.png", -1))).isEqualTo("deletion");
        assertThat(skip(event("ObjectTagging:Put", "images", "uploads/a.png", 10))).isEqualTo("other-event");
        assertThat(skip(event("ObjectCreated:Put", "images", "elsewhere/a.png", 10))).isEqualTo("no-rule");
        assertThat(skip(event("ObjectCreated:Put", "other-bucket", "uploads/a.png", 10))).isEqualTo("no-rule");
        assertThat(skip(created("uploads/notes.txt", 10))).isEqualTo("not-an-image");
        assertThat(skip(created("uploads/folder/", 0))).isEqualTo("not-an-image");
        assertThat(skip(created("uploads/empty.png", 0))).isEqualTo("not-an-image");
        assertThat(skip(created("uploads/A.Jpg", MAX + 1))).as("suffixes ignore case; then the size").isEqualTo("too-large");
        assertThat(rules.route(created("uploads/A.Jpg", MAX))).isInstanceOf(NotificationRules.Job.class);
        assertThat(((NotificationRules.Skip) rules.read(bytes("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\","
                + "\"Time\":\"2026-11-30T10:00:00.000Z\",\"Bucket\":\"images\"}")).get(0)).reason()).isEqualTo("test-event");
    }

    /**
     * Only the events that make a new object version are jobs. MinIO files tag, retention and
     * legal-hold changes under ObjectCreated (its internal/event/name.go expands s3:ObjectCreated:*
     * to these eight); a consumer that tags what it processed would loop on them.
     */
    @Test
    void onlyNewObjectVersionsAreJobsWhateverTheNamespace() throws Exception {
        for (String name : List.of("Put", "Post", "Copy", "CompleteMultipartUpload")) {
            assertThat(rules.read(minioRecord("s3:ObjectCreated:" + name, true)).get(0)).as(name)
                    .isInstanceOf(NotificationRules.Job.class);
            assertThat(rules.route(event("ObjectCreated:" + name, "images", "uploads/a.png", 10))).as(name)
                    .isInstanceOf(NotificationRules.Job.class);
        }
        for (String name : List.of("PutTagging", "DeleteTagging", "PutRetention", "PutLegalHold",
                // a name MinIO may add later is no job either, nor the wildcard of a configuration
                "PutSomethingNew", "*", "")) {
            assertThat(((NotificationRules.Skip) rules.read(minioRecord("s3:ObjectCreated:" + name, true)).get(0)).reason())
                    .as(name).isEqualTo("other-event");
            assertThat(skip(event("ObjectCreated:" + name, "images", "uploads/a.png", 10))).as(name).isEqualTo("other-event");
        }
        // A tagging record without size is still a skip, not a malformed creation.
        assertThat(((NotificationRules.Skip) rules.read(minioRecord("s3:ObjectCreated:PutTagging", false)).get(0)).reason())
                .isEqualTo("other-event");
        assertThat(((NotificationRules.Skip) rules.read(minioRecord("s3:ObjectCreated:PutTagging", true)).get(0)).detail())
                .contains("ObjectCreated:PutTagging of s3://images/uploads/a b.png makes no new object")
                .contains("ObjectCreated:CompleteMultipartUpload, ObjectCreated:Copy, ObjectCreated:Post, ObjectCreated:Put");
        // Names are compared as S3 and MinIO write them.
        assertThat(skip(event("objectcreated:put", "images", "uploads/a.png", 10))).isEqualTo("other-event");
        assertThat(skip(event("ObjectCreated:Put ", "images", "uploads/a.png", 10))).isEqualTo("other-event");
        // AWS's other namespaces, and MinIO's.
        for (String name : List.of("ObjectTagging:Put", "ObjectTagging:Delete", "ObjectAcl:Put", "ObjectRestore:Post",
                "ObjectRestore:Completed", "ObjectRestore:Delete", "LifecycleTransition", "IntelligentTiering",
                "Replication:OperationFailedReplication", "ObjectAccessed:Get", "ObjectTransition:Complete",
                "Scanner:ManyVersions")) {
            assertThat(skip(event(name, "images", "uploads/a.png", 10))).as(name).isEqualTo("other-event");
        }
        for (String name : List.of("ObjectRemoved:Delete", "ObjectRemoved:DeleteMarkerCreated", "ObjectRemoved:NoOP",
                "ObjectRemoved:DeleteAllVersions", "LifecycleExpiration:Delete", "LifecycleExpiration:DeleteMarkerCreated")) {
            assertThat(skip(event(name, "images", "uploads/a.png", -1))).as(name).isEqualTo("deletion");
        }
    }

    /** One record as MinIO's Kafka target writes it, on {@code uploads/a b.png}. */
    static byte[] minioRecord(String eventName, boolean withSize) {
        return bytes("{\"EventName\":\"" + eventName + "\",\"Key\":\"images/uploads/a b.png\",\"Records\":[{"
                + "\"eventVersion\":\"2.0\",\"eventSource\":\"minio:s3\",\"eventName\":\"" + eventName + "\","
                + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"bucket\":{\"name\":\"images\"},\"object\":{\"key\":"
                + "\"uploads%2Fa+b.png\"" + (withSize ? ",\"size\":290" : "") + ",\"eTag\":\"e6\",\"sequencer\":\"0D1\"}}}]}");
    }

    @Test
    void theJobIdIsTheObjectVersion() {
        S3Notification.ObjectEvent a = created("uploads/a.png", 10);
        assertThat(NotificationRules.jobId(a)).isEqualTo(NotificationRules.jobId(created("uploads/a.png", 10)));
        assertThat(NotificationRules.jobId(a)).isNotEqualTo(NotificationRules.jobId(new S3Notification.ObjectEvent(0,
                "ObjectCreated:Put", null, "images", "uploads/a.png", 10, "etag-2", null, "seq-1")));
        assertThat(NotificationRules.jobId(a)).isNotEqualTo(NotificationRules.jobId(new S3Notification.ObjectEvent(0,
                "ObjectCreated:Put", null, "images", "uploads/a.png", 10, "etag-1", null, "seq-2")));
        assertThat(NotificationRules.jobId(a)).isNotEqualTo(NotificationRules.jobId(created("uploads/b.png", 10)));
    }

    @Test
    void oneObjectTwiceInOneDocumentIsOneJob() throws Exception {
        String record = "{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"images\"},"
                + "\"object\":{\"key\":\"uploads/a.png\",\"size\":10,\"eTag\":\"e\",\"sequencer\":\"1\"}}}";
        List<NotificationRules.Outcome> out = rules.read(bytes("{\"Records\":[" + record + "," + record + "]}"));
        assertThat(out.get(0)).isInstanceOf(NotificationRules.Job.class);
        assertThat(((NotificationRules.Skip) out.get(1)).reason()).isEqualTo("duplicate");
    }

    @Test
    void malformedDocumentsAreRejectedWithAReason() {
        assertThat(code("{\"Records\":[]}")).isEqualTo("invalid-notification");
        assertThat(code("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"images\"},"
                + "\"object\":{\"key\":\"uploads/a.png\"}}}]}")).as("a creation without size").isEqualTo("invalid-notification");
        assertThat(code("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"images\"},"
                + "\"object\":{\"key\":\"uploads/%ZZ.png\",\"size\":1}}}]}")).isEqualTo("invalid-notification");
        assertThat(code("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"eventName\":\"ObjectRemoved:Delete\"}]}"))
                .as("ambiguous JSON").isEqualTo("invalid-notification");
        assertThat(code("{\"jobId\":\"j\",\"task\":\"classify\"}")).isEqualTo("invalid-notification");
        assertThat(code("not json")).isEqualTo("not-json");
        assertThat(code("[1]")).isEqualTo("invalid-notification");
        // A key that makes no valid job input (longer than a job's URI may be) is refused, not cut.
        String longKey = "uploads/" + "k".repeat(1200) + ".png";
        assertThat(code("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"images\"},"
                + "\"object\":{\"key\":\"" + longKey + "\",\"size\":1}}}]}")).isEqualTo("invalid-notification");
    }

    @Test
    void aRuleThatCannotWorkStopsTheStart() {
        assertThatThrownBy(() -> new NotificationRules(List.of(new NotificationRules.Rule("x", "elsewhere", "", "classify",
                null, null, null, 0)), List.of(".png"), MAX, Set.of("images"), SCHEMAS, 1 << 20))
                .hasMessageContaining("rules.x.bucket").hasMessageContaining("input-buckets");
        assertThatThrownBy(() -> new NotificationRules(List.of(new NotificationRules.Rule("x", "images", "", "classify",
                null, "{\"topK\":0}", null, 0)), List.of(".png"), MAX, Set.of("images"), SCHEMAS, 1 << 20))
                .hasMessageContaining("rules.x cannot make a valid job").hasMessageContaining("topK");
        assertThatThrownBy(() -> new NotificationRules(List.of(new NotificationRules.Rule("x", "images", "", "no-such-task",
                null, null, null, 0)), List.of(".png"), MAX, Set.of("images"), SCHEMAS, 1 << 20))
                .hasMessageContaining("rules.x cannot make a valid job");
        assertThatThrownBy(() -> new NotificationRules(List.of(new NotificationRules.Rule("My-Rule", "images", "", "classify",
                null, null, null, 0)), List.of(".png"), MAX, Set.of("images"), SCHEMAS, 1 << 20))
                .hasMessageContaining("lower-case letters and digits");
    }

    private String skip(S3Notification.ObjectEvent e) throws Rejection.Exception {
        return ((NotificationRules.Skip) rules.route(e)).reason();
    }

    private String code(String doc) {
        try {
            rules.read(bytes(doc));
            return "accepted";
        } catch (Rejection.Exception e) {
            return e.rejection().code();
        }
    }

    static S3Notification.ObjectEvent created(String key, long size) {
        return event("ObjectCreated:Put", "images", key, size);
    }

    static S3Notification.ObjectEvent event(String name, String bucket, String key, long size) {
        return new S3Notification.ObjectEvent(0, name, null, bucket, key, size, "etag-1", null, "seq-1");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
