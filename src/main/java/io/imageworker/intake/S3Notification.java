package io.imageworker.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.imageworker.events.EventSchemas;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads an S3 event notification: the {@code {"Records":[...]}} document AWS S3 writes (event
 * version 2.x) and MinIO's Kafka notification target publishes (the same records, plus top-level
 * {@code EventName} and {@code Key}). See {@code schemas/s3-notification.v1.schema.json} for what is
 * required; fields the worker does not use are ignored, as new ones appear over time.
 *
 * <p>Object keys arrive URL-encoded the HTML-form way: a space is {@code +}, a {@code +} is
 * {@code %2B}, other bytes of the key's UTF-8 are {@code %XX} (MinIO also encodes {@code /}).
 * {@link #decodeKey(String)} undoes that strictly: a malformed escape or bytes that are not UTF-8
 * make the document malformed rather than a key that names nothing.
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

    private S3Notification() {}

    /**
     * One record of a notification: one event on one object.
     *
     * @param index position of the record in the document's {@code Records}, from 0
     * @param eventName the event name without MinIO's {@code s3:} prefix ({@code ObjectCreated:Put})
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
     * @param records its records, in order (empty for a test event)
     * @param testEvent true for the {@code s3:TestEvent} message S3 sends when notifications are set up
     */
    public record Document(List<ObjectEvent> records, boolean testEvent) {}

    /**
     * Reads a notification document.
     *
     * @param value the record's bytes
     * @param schemas the contracts (the notification schema is among them)
     * @param maxBytes largest document accepted
     * @throws Rejection.Exception {@code invalid-notification} (or {@code not-json}, {@code too-large})
     *     naming what is wrong: not strict JSON, not the notification shape, a key that does not decode
     */
    public static Document read(byte[] value, EventSchemas schemas, int maxBytes) throws Rejection.Exception {
        JsonNode root = JobParser.strictTree(value, maxBytes, "notification", Rejection.INVALID_NOTIFICATION);
        String surrogate = JobParser.unpairedSurrogate(root);
        if (surrogate != null) {
            throw Rejection.exception(Rejection.NOT_JSON, "the event holds an unpaired UTF-16 surrogate escape in "
                    + surrogate + ": not Unicode text", null);
        }
        if (!root.has("Records") && "s3:TestEvent".equals(root.path("Event").asText(null))) {
            return new Document(List.of(), true);
        }
        List<String> violations = schemas.violations(EventSchemas.Contract.NOTIFICATION, root);
        if (!violations.isEmpty()) {
            throw Rejection.exception(Rejection.INVALID_NOTIFICATION,
                    "the event is not an S3 event notification (schemas/s3-notification.v1.schema.json): "
                            + String.join("; ", violations), null);
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
                throw Rejection.exception(Rejection.INVALID_NOTIFICATION, "Records[" + i + "].s3.object.key: "
                        + e.getMessage(), null);
            }
            String name = r.get("eventName").asText();
            out.add(new ObjectEvent(i, name.startsWith("s3:") ? name.substring(3) : name, text(r, "eventTime"),
                    r.path("s3").path("bucket").get("name").asText(), key,
                    object.hasNonNull("size") ? object.get("size").asLong() : -1, text(object, "eTag"),
                    text(object, "versionId"), text(object, "sequencer")));
        }
        return new Document(List.copyOf(out), false);
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
