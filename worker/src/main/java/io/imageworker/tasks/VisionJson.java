package io.imageworker.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Pieces of Cloud Vision's JSON (Vision API v1 REST) that several tasks' annotations share:
 * {@code BoundingPoly} and {@code google.rpc.Status}.
 */
public final class VisionJson {

    /** google.rpc.Code INVALID_ARGUMENT: the image cannot be read as one. */
    public static final int INVALID_ARGUMENT = 3;
    /** google.rpc.Code DEADLINE_EXCEEDED: a document page ran past its time budget. */
    public static final int DEADLINE_EXCEEDED = 4;
    /** google.rpc.Code NOT_FOUND. */
    public static final int NOT_FOUND = 5;
    /** google.rpc.Code PERMISSION_DENIED. */
    public static final int PERMISSION_DENIED = 7;
    /** google.rpc.Code UNIMPLEMENTED: a feature this worker does not serve. */
    public static final int UNIMPLEMENTED = 12;
    /** google.rpc.Code INTERNAL: a model failed. */
    public static final int INTERNAL = 13;
    /** google.rpc.Code UNAVAILABLE: storage could not be reached. */
    public static final int UNAVAILABLE = 14;

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private VisionJson() {}

    /**
     * A {@code BoundingPoly} of {@code vertices} in whole pixels (Cloud Vision's {@code Vertex} is
     * integer) from a polygon given as {@code [[x, y], ...]} in input pixels.
     */
    public static ObjectNode poly(JsonNode points) {
        ObjectNode poly = F.objectNode();
        ArrayNode vertices = poly.putArray("vertices");
        for (JsonNode p : points) {
            vertices.addObject().put("x", Math.round(p.get(0).asDouble())).put("y", Math.round(p.get(1).asDouble()));
        }
        return poly;
    }

    /** A {@code BoundingPoly} of a box: 4 vertices clockwise from the top-left, whole pixels. */
    public static ObjectNode box(double x, double y, double width, double height) {
        ArrayNode points = F.arrayNode();
        points.addArray().add(x).add(y);
        points.addArray().add(x + width).add(y);
        points.addArray().add(x + width).add(y + height);
        points.addArray().add(x).add(y + height);
        return poly(points);
    }

    /** A {@code google.rpc.Status}: {@code code} and {@code message}. */
    public static ObjectNode status(int code, String message) {
        return F.objectNode().put("code", code).put("message", message);
    }

    /**
     * The google.rpc.Code of one of the worker's item error codes ({@code not-found} is NOT_FOUND,
     * {@code corrupt-image} and {@code corrupt-document} INVALID_ARGUMENT, {@code page-timeout}
     * DEADLINE_EXCEEDED ...); INTERNAL for a code it does not know.
     */
    public static int code(String itemErrorCode) {
        if (itemErrorCode == null) {
            return INTERNAL;
        }
        return switch (itemErrorCode) {
            case "not-found" -> NOT_FOUND;
            case "forbidden", "not-allowed" -> PERMISSION_DENIED;
            case "too-large", "not-an-image", "unsupported-format", "corrupt-image", "too-many-pixels" -> INVALID_ARGUMENT;
            // a document's or a page's own (documents.DocumentException), and a type the bytes do not match
            case "not-a-document", "document-too-large", "too-many-pages", "encrypted-document", "corrupt-document",
                    "bad-pages", "page-too-large", "corrupt-page", "mime-type-mismatch" -> INVALID_ARGUMENT;
            case "page-timeout" -> DEADLINE_EXCEEDED;
            case "unavailable" -> UNAVAILABLE;
            case "not-available" -> UNIMPLEMENTED;
            default -> INTERNAL;
        };
    }
}
