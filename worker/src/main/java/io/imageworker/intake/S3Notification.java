package io.imageworker.intake;

import io.imageworker.job.Rejection;
import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an S3 event notification in each envelope it reaches Kafka in:
 * <ul>
 * <li>the {@code {"Records":[...]}} document AWS S3 writes (event version 2.x) and MinIO's Kafka
 *     notification target publishes (the same records, plus top-level {@code EventName} and
 *     {@code Key}), also as the body of an SQS message S3 sent it to;
 * <li>S3's event as Amazon EventBridge delivers it ({@code "source": "aws.s3"}, {@code detail-type},
 *     {@code detail.bucket}, {@code detail.object}), also as the body of an SQS message an
 *     EventBridge rule sent it to;
 * <li>an SNS {@code Notification} whose {@code Message} is either of those as a JSON string, also as
 *     the body of an SQS message the topic delivered (without raw message delivery).
 * </ul>
 * Each comes to the same {@link ObjectEvent}s. See {@code schemas/s3-notification.v1.schema.json}
 * for what is required; fields the worker does not use are ignored, as new ones appear over time.
 *
 * <p>Object keys of the {@code Records} document arrive URL-encoded the HTML-form way: a space is
 * {@code +}, a {@code +} is {@code %2B}, other bytes of the key's UTF-8 are {@code %XX} (MinIO also
 * encodes {@code /}). {@link #decodeKey(String)} undoes that strictly: a malformed escape or bytes
 * that are not UTF-8 make the document malformed rather than a key that names nothing. EventBridge
 * writes keys as they are: they are taken unchanged.
 *
 * <p>Only the events that make a new object version are {@link ObjectEvent#created() creations}:
 * {@code ObjectCreated:Put}, {@code :Post}, {@code :Copy} and {@code :CompleteMultipartUpload}.
 * MinIO files tag, retention and legal-hold changes under {@code ObjectCreated} too
 * ({@code :PutTagging}, {@code :DeleteTagging}, {@code :PutRetention}, {@code :PutLegalHold}); they,
 * and any name not in that set, are not.
 */
public final class S3Notification {

    /** The event names (without MinIO's {@code s3:} prefix) of the events that create an object version. */
    public static final Set<String> CREATIONS = Set.of("ObjectCreated:Put", "ObjectCreated:Post", "ObjectCreated:Copy",
            "ObjectCreated:CompleteMultipartUpload");
    /** Event name prefixes of deletions ({@code ObjectRemoved:Delete}, {@code LifecycleExpiration:DeleteMarkerCreated} ...). */
    static final List<String> REMOVALS = List.of("ObjectRemoved:", "LifecycleExpiration:");

    /** EventBridge's {@code detail.reason} of an {@code Object Created} event, and the S3 event name it stands for. */
    static final Map<String, String> EVENTBRIDGE_CREATIONS = Map.of("PutObject", "ObjectCreated:Put",
            "POST Object", "ObjectCreated:Post", "PostObject", "ObjectCreated:Post", "CopyObject", "ObjectCreated:Copy",
            "CompleteMultipartUpload", "ObjectCreated:CompleteMultipartUpload");

    private S3Notification() {}

    /**
     * One record of a notification: one event on one object.
     *
     * @param index position of the record in the document's {@code Records}, from 0 (0 for EventBridge's)
     * @param eventName the event name without MinIO's {@code s3:} prefix ({@code ObjectCreated:Put}); for
     *     EventBridge's events the S3 event name its detail type and reason stand for, or else the
     *     detail type (and reason) as written ({@code Object Tags Added})
     * @param eventTime the record's {@code eventTime} as written, or null
     * @param bucket bucket name
     * @param key object key, decoded
     * @param size object size in bytes, or -1 when the record has none (deletions)
     * @param eTag the object's ETag as written, or null
     * @param versionId the object's version id (versioned buckets), or null
     * @param sequencer the record's sequencer (orders events on one key), or null
     */
    public record ObjectEvent(int index, String eventName, String eventTime, String bucket, String key, long size,
            String eTag, String versionId, String sequencer) {

        /** True for an event that created (or overwrote) the object: its name is one of {@link #CREATIONS}. */
        public boolean created() {
            return CREATIONS.contains(eventName);
        }

        /** True for a deletion (or a delete marker, or a lifecycle expiration). */
        public boolean removed() {
            return REMOVALS.stream().anyMatch(eventName::startsWith);
        }
    }

    /**
     * A notification document read.
     *
     * @param records its records, in order (empty for a set-up message)
     * @param setup for a message that only sets notifications up and names no object (S3's
     *     {@code s3:TestEvent}, SNS's {@code SubscriptionConfirmation}), what it is; else null
     */
    public record Document(List<ObjectEvent> records, String setup) {

        /** True for a set-up message: no records, counted as a {@code test-event} skip. */
        public boolean testEvent() {
            return setup != null;
        }
    }

    /**
     * Reads a notification document, in any of the envelopes above.
     *
     * @param value the record's bytes
     * @param schemas the contracts (the notification schema is among them)
     * @param maxBytes largest document accepted
     * @throws Rejection.Exception {@code invalid-notification} (or {@code not-json}, {@code too-large})
     *     naming what is wrong: not strict JSON, not a notification shape, a key that does not decode,
     *     an SNS {@code Message} that is not one
     */
    public static Document read(byte[] value, EventSchemas schemas, int maxBytes) throws Rejection.Exception {
        JsonNode root = JobParser.strictTree(value, maxBytes, "notification", Rejection.INVALID_NOTIFICATION);
        return read(root, schemas, maxBytes, "");
    }

    /**
     * @param at "" for the record's value, {@code "Message: "} for the document an SNS notification
     *     carries: prefixes every reason, and an SNS notification is not read inside another
     */
    private static Document read(JsonNode root, EventSchemas schemas, int maxBytes, String at) throws Rejection.Exception {
        String surrogate = JobParser.unpairedSurrogate(root);
        if (surrogate != null) {
            // Within an SNS Message the record itself was JSON: its Message is what is wrong.
            throw Rejection.exception(at.isEmpty() ? Rejection.NOT_JSON : Rejection.INVALID_NOTIFICATION,
                    at + "the event holds an unpaired UTF-16 surrogate escape in "
                    + surrogate + ": not Unicode text", null);
        }
        if (!root.has("Records") && "s3:TestEvent".equals(root.path("Event").asText(null))) {
            return new Document(List.of(), "s3:TestEvent");
        }
        List<String> violations = schemas.violations(EventSchemas.Contract.NOTIFICATION, root);
        if (!violations.isEmpty()) {
            throw Rejection.exception(Rejection.INVALID_NOTIFICATION, at
                    + "the event is not an S3 event notification (S3's Records document, S3's event from EventBridge, or an SNS "
                    + "Notification holding either; schemas/s3-notification.v1.schema.json): "
                    + String.join("; ", violations), null);
        }
        if (root.has("detail-type")) {
            return new Document(List.of(eventBridge(root)), null);
        }
        if (root.has("Type")) {
            return sns(root, schemas, maxBytes, at);
        }
        List<ObjectEvent> out = new ArrayList<>();
        JsonNode records = root.get("Records");
        for (int i = 0; i < records.size(); i++) {
            JsonNode r = records.get(i);
            JsonNode object = r.path("s3").path("object");
            String key;
            try {
                key = decodeKey(object.get("key").asText());
            } catch (IllegalArgumentException e) {
                throw Rejection.exception(Rejection.INVALID_NOTIFICATION, at + "Records[" + i + "].s3.object.key: "
                        + e.getMessage(), null);
            }
            String name = r.get("eventName").asText();
            out.add(new ObjectEvent(i, name.startsWith("s3:") ? name.substring(3) : name, text(r, "eventTime"),
                    r.path("s3").path("bucket").get("name").asText(), key,
                    object.hasNonNull("size") ? object.get("size").asLong() : -1, text(object, "eTag"),
                    text(object, "versionId"), text(object, "sequencer")));
        }
        return new Document(List.copyOf(out), null);
    }

    /**
     * S3's event as EventBridge delivers it: the key as it is (EventBridge does not encode it), the
     * event name the one of the S3 event its detail type and reason stand for.
     */
    private static ObjectEvent eventBridge(JsonNode root) {
        String type = root.get("detail-type").asText();
        JsonNode detail = root.get("detail");
        JsonNode object = detail.get("object");
        String reason = text(detail, "reason");
        String name;
        if (type.equals("Object Created") && reason != null && EVENTBRIDGE_CREATIONS.containsKey(reason)) {
            name = EVENTBRIDGE_CREATIONS.get(reason);
        } else if (type.equals("Object Deleted")) {
            name = ("Lifecycle Expiration".equals(reason) ? "LifecycleExpiration:" : "ObjectRemoved:")
                    + ("Delete Marker Created".equals(text(detail, "deletion-type")) ? "DeleteMarkerCreated" : "Delete");
        } else {
            name = type + (reason == null ? "" : " (" + reason + ")");
        }
        return new ObjectEvent(0, name, text(root, "time"), detail.get("bucket").get("name").asText(),
                object.get("key").asText(), object.hasNonNull("size") ? object.get("size").asLong() : -1,
                text(object, "etag"), text(object, "version-id"), text(object, "sequencer"));
    }

    /** An SNS message: a {@code Notification} carries a document as its {@code Message}; the confirmations name no object. */
    private static Document sns(JsonNode root, EventSchemas schemas, int maxBytes, String at) throws Rejection.Exception {
        String type = root.get("Type").asText();
        if (!at.isEmpty()) {
            throw Rejection.exception(Rejection.INVALID_NOTIFICATION, at + "an SNS " + type
                    + " inside an SNS notification's Message: one envelope of SNS is read, not two", null);
        }
        if (!type.equals("Notification")) {
            return new Document(List.of(), "SNS " + type);
        }
        JsonNode inner;
        try {
            inner = JobParser.strictTree(root.get("Message").asText().getBytes(StandardCharsets.UTF_8), maxBytes,
                    "notification", Rejection.INVALID_NOTIFICATION);
        } catch (Rejection.Exception e) {
            throw Rejection.exception(Rejection.INVALID_NOTIFICATION, "Message: the SNS notification's Message is not "
                    + "an S3 event notification: " + e.getMessage(), null);
        }
        return read(inner, schemas, maxBytes, "Message: ");
    }

    /**
     * Decodes a notification's object key: {@code +} is a space, {@code %XX} a byte, the bytes are
     * UTF-8 ({@code "photos/red+flower%2B1+%E2%9C%93.jpg"} is {@code "photos/red flower+1 ✓.jpg"}).
     * Characters that arrive unescaped stand for themselves.
     *
     * @throws IllegalArgumentException for a {@code %} not followed by two hex digits, or bytes that
     *     are not UTF-8
     */
    public static String decodeKey(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                int hi = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(encoded.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw new IllegalArgumentException("a '%' not followed by two hex digits at " + i + " in '"
                            + abbreviate(encoded) + "'");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < encoded.length() ? i + 2 : i + 1;
                bytes.writeBytes(encoded.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        String key = RecordHeaders.utf8(bytes.toByteArray());
        if (key == null) {
            throw new IllegalArgumentException("the decoded key is not UTF-8: '" + abbreviate(encoded) + "'");
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("the key is empty");
        }
        return key;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
