package io.imageworker.tasks.faces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.tasks.VisionJson;

/** How a faces item reads as Cloud Vision's FACE_DETECTION answer. */
final class FaceVision {

    private FaceVision() {}

    /**
     * Cloud Vision's {@code faceAnnotations} of one faces item, best first: the detector's box ({@code box}) as {@code fdBoundingPoly}
     * (Cloud Vision's tighter box "based on the initial face detection") and the head box
     * ({@code headBox}, {@link HeadBox}: hairline to chin, framed as people and face datasets frame a
     * face) as {@code boundingPoly} (the detector's box where an item has no head box), the six keypoints as {@code landmarks} ({@code type},
     * {@code position {x, y}}: Cloud Vision's names, no depth), the score as
     * {@code detectionConfidence}; with attributes {@code joyLikelihood}, {@code sorrowLikelihood},
     * {@code angerLikelihood} and {@code surpriseLikelihood} ({@link FaceAttributes}). No angles, and
     * the 68 landmarks stay in the item's {@code landmarks}: Cloud Vision's named landmarks are not
     * the iBUG points.
     */
    static ObjectNode annotation(JsonNode item) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (item.path("faces").isEmpty()) {
            return out;
        }
        var faces = out.putArray("faceAnnotations");
        for (JsonNode f : item.path("faces")) {
            JsonNode b = f.path("box");
            JsonNode h = f.has("headBox") ? f.path("headBox") : b;
            ObjectNode face = faces.addObject();
            face.set("boundingPoly", VisionJson.box(h.path("x").asDouble(), h.path("y").asDouble(), h.path("width").asDouble(),
                    h.path("height").asDouble()));
            face.set("fdBoundingPoly", VisionJson.box(b.path("x").asDouble(), b.path("y").asDouble(), b.path("width").asDouble(),
                    b.path("height").asDouble()));
            var landmarks = face.putArray("landmarks");
            for (JsonNode k : f.path("keypoints")) {
                landmarks.addObject().put("type", k.path("type").asText()).putObject("position")
                        .put("x", k.path("x").asDouble()).put("y", k.path("y").asDouble());
            }
            face.put("detectionConfidence", f.path("score").asDouble());
            FaceAttributes.LIKELIHOODS.keySet().forEach(field -> {
                if (f.has(field)) {
                    face.put(field, f.path(field).asText());
                }
            });
        }
        return out;
    }
}
