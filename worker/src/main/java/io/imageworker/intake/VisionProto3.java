package io.imageworker.intake;

import io.imageworker.job.Rejection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Cloud Vision {@code AsyncBatchAnnotateImagesRequest} or {@code AsyncBatchAnnotateFilesRequest}
 * body the way the API's proto3 JSON parser does, before the body is held against
 * {@code schemas/vision-async-batch-annotate.v1.schema.json} or
 * {@code schemas/vision-files-async-batch-annotate.v1.schema.json}.
 *
 * <p>Google's client libraries write requests with a proto3 JSON printer, which may write default
 * values ({@code "maxResults": 0}, {@code "batchSize": 0}, {@code "model": ""}, {@code "content": ""}),
 * enum values by number ({@code "type": 4}) and field names as the proto spells them
 * ({@code max_results}). The rules of the proto3 JSON mapping
 * (https://protobuf.dev/programming-guides/json/), applied to the Vision messages the worker reads:
 * <ul>
 *   <li>a field is found by its lowerCamelCase JSON name or by its proto name; both in one object is ambiguous;
 *   <li>{@code null} and a scalar's default ({@code 0}, {@code ""}, {@code false}, an enum's 0, an empty
 *       list) mean unset, so the worker's default applies, as Cloud Vision's does;
 *   <li>an enum is taken by name or by number; an {@code int32} by number or by a string of digits;
 *   <li>a field that is not in the message is ignored and named in {@link Result#ignored()} (the
 *       API's newer fields, or another client's extensions, do not lose the job).
 * </ul>
 * Map keys ({@code labels}) and the opaque {@code imageContext} are kept as sent. Values of the wrong
 * kind are left as they are, for the schema to name.
 */
final class VisionProto3 {

    private VisionProto3() {}

    /**
     * The body rewritten in the schema's spelling.
     *
     * @param body the request with JSON names, defaults removed, enums by name
     * @param ignored JSON pointers of the fields that are not part of the request message, in body order
     */
    record Result(ObjectNode body, List<String> ignored) {}

    private enum Kind { STRING, INT32, ENUM, MESSAGE, REPEATED_MESSAGE, MAP, OPAQUE }

    private record Field(String json, String proto, Kind kind, Map<String, Field> message) {}

    /** {@code google.cloud.vision.v1.Feature.Type}, number to name. */
    static final Map<Integer, String> FEATURE_TYPES = Map.ofEntries(
            Map.entry(0, "TYPE_UNSPECIFIED"), Map.entry(1, "FACE_DETECTION"), Map.entry(2, "LANDMARK_DETECTION"),
            Map.entry(3, "LOGO_DETECTION"), Map.entry(4, "LABEL_DETECTION"), Map.entry(5, "TEXT_DETECTION"),
            Map.entry(11, "DOCUMENT_TEXT_DETECTION"), Map.entry(6, "SAFE_SEARCH_DETECTION"),
            Map.entry(7, "IMAGE_PROPERTIES"), Map.entry(9, "CROP_HINTS"), Map.entry(10, "WEB_DETECTION"),
            Map.entry(12, "PRODUCT_SEARCH"), Map.entry(19, "OBJECT_LOCALIZATION"));

    private static final Map<String, Field> FEATURE = message(
            new Field("type", "type", Kind.ENUM, null),
            new Field("maxResults", "max_results", Kind.INT32, null),
            new Field("model", "model", Kind.STRING, null));

    private static final Map<String, Field> OUTPUT_CONFIG = message(
            new Field("gcsDestination", "gcs_destination", Kind.MESSAGE, message(
                    new Field("uri", "uri", Kind.STRING, null))),
            new Field("batchSize", "batch_size", Kind.INT32, null));

    /** {@code AsyncBatchAnnotateImagesRequest}. */
    private static final Map<String, Field> REQUEST = message(
            new Field("requests", "requests", Kind.REPEATED_MESSAGE, message(
                    new Field("image", "image", Kind.MESSAGE, message(
                            new Field("content", "content", Kind.STRING, null),
                            new Field("source", "source", Kind.MESSAGE, message(
                                    new Field("gcsImageUri", "gcs_image_uri", Kind.STRING, null),
                                    new Field("imageUri", "image_uri", Kind.STRING, null))))),
                    new Field("features", "features", Kind.REPEATED_MESSAGE, FEATURE),
                    new Field("imageContext", "image_context", Kind.OPAQUE, null))),
            new Field("outputConfig", "output_config", Kind.MESSAGE, OUTPUT_CONFIG),
            new Field("parent", "parent", Kind.STRING, null),
            new Field("labels", "labels", Kind.MAP, null));

    /** {@code AsyncBatchAnnotateFilesRequest}: one {@code AsyncAnnotateFileRequest} per document, each with its own output. */
    private static final Map<String, Field> FILES_REQUEST = message(
            new Field("requests", "requests", Kind.REPEATED_MESSAGE, message(
                    new Field("inputConfig", "input_config", Kind.MESSAGE, message(
                            new Field("gcsSource", "gcs_source", Kind.MESSAGE, message(
                                    new Field("uri", "uri", Kind.STRING, null))),
                            new Field("content", "content", Kind.STRING, null),
                            new Field("mimeType", "mime_type", Kind.STRING, null))),
                    new Field("features", "features", Kind.REPEATED_MESSAGE, FEATURE),
                    new Field("imageContext", "image_context", Kind.OPAQUE, null),
                    new Field("outputConfig", "output_config", Kind.MESSAGE, OUTPUT_CONFIG))),
            new Field("parent", "parent", Kind.STRING, null),
            new Field("labels", "labels", Kind.MAP, null));

    /**
     * Whether {@code root} is a {@code files:asyncBatchAnnotate} body: a request of it names an
     * {@code inputConfig} (an image request names an {@code image}).
     */
    static boolean filesRequest(JsonNode root) {
        for (JsonNode r : root.path("requests")) {
            if (r.has("inputConfig") || r.has("input_config")) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Field> message(Field... fields) {
        Map<String, Field> byName = new LinkedHashMap<>();
        for (Field f : fields) {
            byName.put(f.json(), f);
            byName.put(f.proto(), f);
        }
        return byName;
    }

    /**
     * Rewrites {@code root}, an {@code AsyncBatchAnnotateImagesRequest} as JSON, in the schema's spelling.
     *
     * @throws Rejection.Exception {@code invalid-job} when one object names a field twice (JSON name and proto name)
     */
    static Result read(JsonNode root, String jobId) throws Rejection.Exception {
        return read(root, REQUEST, jobId);
    }

    /**
     * Rewrites {@code root}, an {@code AsyncBatchAnnotateFilesRequest} as JSON, in the schema's spelling.
     *
     * @throws Rejection.Exception {@code invalid-job} when one object names a field twice (JSON name and proto name)
     */
    static Result readFiles(JsonNode root, String jobId) throws Rejection.Exception {
        return read(root, FILES_REQUEST, jobId);
    }

    private static Result read(JsonNode root, Map<String, Field> message, String jobId) throws Rejection.Exception {
        List<String> ignored = new ArrayList<>();
        ObjectNode body = readMessage(root, message, "", ignored, jobId);
        return new Result(body, List.copyOf(ignored));
    }

    private static ObjectNode readMessage(JsonNode node, Map<String, Field> fields, String path, List<String> ignored,
            String jobId) throws Rejection.Exception {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Field field = fields.get(e.getKey());
            String where = path + "/" + e.getKey();
            if (field == null) {
                ignored.add(where);
                continue;
            }
            if (out.has(field.json())) {
                throw JobParser.reject(Rejection.INVALID_JOB, "the event is ambiguous JSON: " + path + " names "
                        + field.json() + " twice (as " + field.json() + " and " + field.proto() + ")", jobId);
            }
            JsonNode value = readValue(e.getValue(), field, where, ignored, jobId);
            if (value != null) {
                out.set(field.json(), value);
            }
        }
        return out;
    }

    /** The value in the schema's spelling, or null where proto3 reads it as unset. */
    private static JsonNode readValue(JsonNode value, Field field, String where, List<String> ignored, String jobId)
            throws Rejection.Exception {
        if (value.isNull()) {
            return null;
        }
        switch (field.kind()) {
            case STRING:
                return value.isTextual() && value.asText().isEmpty() ? null : value;
            case INT32:
                return int32(value);
            case ENUM:
                return enumValue(value);
            case MESSAGE:
                return value.isObject() ? readMessage(value, field.message(), where, ignored, jobId) : value;
            case REPEATED_MESSAGE:
                if (!value.isArray()) {
                    return value;
                }
                if (value.isEmpty()) {
                    return null;
                }
                var list = JsonNodeFactory.instance.arrayNode();
                for (int i = 0; i < value.size(); i++) {
                    JsonNode item = value.get(i);
                    list.add(item.isObject() ? readMessage(item, field.message(), where + "/" + i, ignored, jobId) : item);
                }
                return list;
            case MAP:
                return value.isObject() && value.isEmpty() ? null : value;
            default:
                return value;
        }
    }

    /** proto3 reads an int32 from a number or from a string of digits; 0 is unset. */
    private static JsonNode int32(JsonNode value) {
        JsonNode number = value;
        if (value.isTextual() && value.asText().matches("-?\\d{1,10}")) {
            number = JsonNodeFactory.instance.numberNode(Long.parseLong(value.asText()));
        } else if (value.isFloatingPointNumber() && value.asDouble() == Math.rint(value.asDouble())) {
            number = JsonNodeFactory.instance.numberNode(value.asLong());
        }
        return number.isIntegralNumber() && number.asLong() == 0 ? null : number;
    }

    /** An enum by name or by number; its 0 ({@code TYPE_UNSPECIFIED}) is unset, as proto3 reads it. */
    private static JsonNode enumValue(JsonNode value) {
        if (value.isIntegralNumber() && FEATURE_TYPES.containsKey(value.asInt())) {
            value = JsonNodeFactory.instance.textNode(FEATURE_TYPES.get(value.asInt()));
        }
        return value.isTextual() && value.asText().equals(FEATURE_TYPES.get(0)) ? null : value;
    }
}
