package io.imageworker.tasks.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** How an objects item reads as Cloud Vision's OBJECT_LOCALIZATION answer. */
final class ObjectVision {

    private ObjectVision() {}

    /**
     * Cloud Vision's {@code localizedObjectAnnotations} of one objects item, best first: {@code name}
     * (the COCO-80 name as the item has it, lower case: Cloud Vision's own names are capitalised and
     * from a larger set), {@code score}, {@code boundingPoly.normalizedVertices} (the box's four
     * corners clockwise from the top-left, as fractions of the item's {@code width} and
     * {@code height}). No {@code mid} (Knowledge Graph id). Empty when nothing was found.
     */
    static ObjectNode annotation(JsonNode item) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (item.path("objects").isEmpty()) {
            return out;
        }
        double w = Math.max(1, item.path("width").asDouble(1));
        double h = Math.max(1, item.path("height").asDouble(1));
        ArrayNode annotations = out.putArray("localizedObjectAnnotations");
        for (JsonNode o : item.path("objects")) {
            JsonNode b = o.path("box");
            double x0 = b.path("x").asDouble() / w;
            double y0 = b.path("y").asDouble() / h;
            double x1 = (b.path("x").asDouble() + b.path("width").asDouble()) / w;
            double y1 = (b.path("y").asDouble() + b.path("height").asDouble()) / h;
            ObjectNode a = annotations.addObject();
            a.put("name", o.path("name").asText());
            a.put("score", o.path("score").asDouble());
            ArrayNode v = a.putObject("boundingPoly").putArray("normalizedVertices");
            vertex(v, x0, y0);
            vertex(v, x1, y0);
            vertex(v, x1, y1);
            vertex(v, x0, y1);
        }
        return out;
    }

    private static void vertex(ArrayNode v, double x, double y) {
        v.addObject().put("x", round(Math.min(1, x))).put("y", round(Math.min(1, y)));
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
