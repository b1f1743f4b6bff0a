package io.imageworker.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Role of a task whose items also read as Cloud Vision {@code LABEL_DETECTION} labels of a photo:
 * annotate runs it on the items where the task answering {@code LABEL_DETECTION} abstained (an item
 * carrying {@code outOfDistribution}: the digit model saw no digit), so that a photo gets the labels
 * this task can stand behind and a digit keeps its digit. At most one served task has this role
 * (objects: the COCO-80 classes found, docs/tasks/objects.md#labels).
 */
public interface PhotoLabels extends VisionAnswer {

    /** Item field of a task's item that abstained; its presence is what sends the item to this role. */
    String ABSTAINED = "outOfDistribution";

    /**
     * Cloud Vision's {@code labelAnnotations} of one succeeded item of this task (as its result JSON
     * has it), at most {@code maxResults} (0: Cloud Vision's default, 10), best first; no field when
     * the item has no label.
     */
    ObjectNode labelAnnotations(JsonNode item, int maxResults);
}
