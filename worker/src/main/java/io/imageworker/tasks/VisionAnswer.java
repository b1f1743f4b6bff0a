package io.imageworker.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imageworker.inference.ServedModel;

/**
 * Role of a task that answers one Cloud Vision feature type in an {@code annotate} job (classify:
 * {@code LABEL_DETECTION}, text, faces, properties, safe-search). At most one task of a worker answers
 * each type; a task without this role is never asked by annotate.
 */
public interface VisionAnswer extends TaskHandler {

    /** The Cloud Vision feature type this task answers ({@code TEXT_DETECTION}, {@code FACE_DETECTION} ...). */
    String visionFeature();

    /**
     * Every Cloud Vision feature type this task answers: {@link #visionFeature()} and any it answers
     * the same way ({@code text}: TEXT_DETECTION and DOCUMENT_TEXT_DETECTION). The default is the one.
     */
    default java.util.List<String> visionFeatures() {
        return java.util.List.of(visionFeature());
    }

    /**
     * This task's job options for a Cloud Vision feature asking for at most {@code maxResults}
     * results (0: not said) served by {@code model} (null for tasks without one). The default sets none.
     */
    default ObjectNode visionOptions(int maxResults, ServedModel<?, ?> model) {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * The fields of Cloud Vision's {@code AnnotateImageResponse} that answer {@link #visionFeatures()}
     * for one succeeded item of this task ({@code item}: the item as its result JSON has it), under
     * Cloud Vision's names ({@code textAnnotations}, {@code faceAnnotations} ...).
     */
    ObjectNode visionAnnotation(JsonNode item);
}
