package io.imageworker.tasks.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.tasks.PhotoLabels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How an objects item reads as Cloud Vision's LABEL_DETECTION answer on a photo. */
final class ObjectLabels {

    /** Cloud Vision's default {@code maxResults}. */
    static final int DEFAULT_MAX_RESULTS = 10;
    /** Name of the {@code properties} entry holding how many instances of the class were found. */
    static final String INSTANCES = PhotoLabels.INSTANCES;

    private ObjectLabels() {}

    /**
     * Cloud Vision's {@code labelAnnotations} of one objects item: one {@code EntityAnnotation} per
     * COCO-80 class among the item's {@code objects}, by score best first (ties by name), at most
     * {@code maxResults} (0: {@value #DEFAULT_MAX_RESULTS}). Each has {@code description} (the COCO
     * name, lower case), {@code score} (the best instance's score), {@code topicality} (the same
     * number: the detector has no separate measure of how central the class is to the photo) and
     * {@code properties: [{name: "instances", value: "<n>", uint64Value: "<n>"}]} (how many
     * instances were kept). No {@code mid}. No field when the item found no object.
     */
    static ObjectNode annotation(JsonNode item, int maxResults) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Map<String, double[]> byName = new LinkedHashMap<>(); // name -> {best score, count}
        for (JsonNode o : item.path("objects")) {
            double[] s = byName.computeIfAbsent(o.path("name").asText(), n -> new double[] {0, 0});
            s[0] = Math.max(s[0], o.path("score").asDouble());
            s[1]++;
        }
        if (byName.isEmpty()) {
            return out;
        }
        List<Map.Entry<String, double[]>> labels = new ArrayList<>(byName.entrySet());
        labels.sort(Comparator.comparing((Map.Entry<String, double[]> e) -> -e.getValue()[0]).thenComparing(Map.Entry::getKey));
        int n = Math.min(labels.size(), maxResults > 0 ? maxResults : DEFAULT_MAX_RESULTS);
        ArrayNode annotations = out.putArray("labelAnnotations");
        for (Map.Entry<String, double[]> e : labels.subList(0, n)) {
            String count = Long.toString((long) e.getValue()[1]);
            ObjectNode a = annotations.addObject();
            a.put("description", e.getKey());
            a.put("score", e.getValue()[0]);
            a.put("topicality", e.getValue()[0]);
            a.putArray("properties").addObject().put("name", INSTANCES).put("value", count).put("uint64Value", count);
        }
        return out;
    }
}
