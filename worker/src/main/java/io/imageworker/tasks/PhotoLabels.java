package io.imageworker.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.events.ItemResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Role of a task whose items also read as Cloud Vision {@code LABEL_DETECTION} labels of a photo:
 * annotate runs it on the items where the task answering {@code LABEL_DETECTION} abstained (an item
 * carrying {@code outOfDistribution}: the digit model saw no digit), and so does a classify job that
 * pins no model ({@link PhotoLabelling}), so that a photo gets the labels this task can stand behind
 * and a digit keeps its digit. At most one served task has this role (objects: the COCO-80 classes
 * found, docs/tasks/objects.md#labels).
 */
public interface PhotoLabels extends VisionAnswer {

    /** Item field of a task's item that abstained; its presence is what sends the item to this role. */
    String ABSTAINED = "outOfDistribution";
    /** Item field naming the label set of an item's {@code labels} when they are photo labels, not the model's. */
    String LABEL_SET = "labelSet";
    /** Name of the {@code properties} entry of a label annotation holding how many instances were found. */
    String INSTANCES = "instances";

    /**
     * Cloud Vision's {@code labelAnnotations} of one succeeded item of this task (as its result JSON
     * has it), at most {@code maxResults} (0: Cloud Vision's default, 10), best first; no field when
     * the item has no label.
     */
    ObjectNode labelAnnotations(JsonNode item, int maxResults);

    /**
     * The job options under which this task writes no file of its own (no overlay), only its item:
     * a classify job runs it so, as classify writes nothing but result.json.
     */
    ObjectNode withoutArtifacts();

    /** The name of the vocabulary this task's labels come from ({@code coco-80}), as items carry it in {@code labelSet}. */
    String labelSet();

    /**
     * The same labels as {@link #labelAnnotations} (one mapping, not two), as a classify item's
     * {@code labels}: {@code label} the description, {@code score}, {@code instances} the count in the
     * annotation's {@code instances} property (null when it has none); empty when the item has no label.
     */
    default List<ItemResult.Label> labels(JsonNode item, int maxResults) {
        List<ItemResult.Label> out = new ArrayList<>();
        for (JsonNode a : labelAnnotations(item, maxResults).path("labelAnnotations")) {
            Integer instances = null;
            for (JsonNode p : a.path("properties")) {
                if (INSTANCES.equals(p.path("name").asText())) {
                    instances = Integer.valueOf(p.path("value").asText());
                }
            }
            out.add(new ItemResult.Label(a.path("description").asText(), a.path("score").asDouble(), instances));
        }
        return out;
    }
}
