package io.imageworker.training;

import io.imageworker.training.classify.ClassifierEvaluation;
import io.imageworker.training.generate.GenerationEvaluation;
import io.imageworker.training.localize.LocalizeEvaluation;
import io.imageworker.training.segment.SegmentEvaluation;
import java.util.Map;

/** The evaluation of each task. */
public final class Evaluations {

    private static final Map<String, ModelEvaluation> BY_TASK = Map.of(
            "classify", ClassifierEvaluation.INSTANCE,
            "segment", SegmentEvaluation.INSTANCE,
            "localize", LocalizeEvaluation.INSTANCE,
            "generate", GenerationEvaluation.INSTANCE,
            "faces", io.imageworker.training.faces.FaceEvaluation.INSTANCE,
            "text", io.imageworker.training.text.TextEvaluation.INSTANCE,
            "safe-search", io.imageworker.training.safesearch.SafeSearchEvaluation.INSTANCE);

    private Evaluations() {}

    /**
     * The evaluation for a model card's task: {@code classify}, {@code segment}, {@code localize}
     * {@code generate}, {@code faces}, {@code text} or {@code safe-search}.
     *
     * @throws IllegalArgumentException for any other task
     */
    public static ModelEvaluation forTask(String task) {
        ModelEvaluation e = BY_TASK.get(task);
        if (e == null) {
            throw new IllegalArgumentException("no evaluation for task '" + task + "'");
        }
        return e;
    }
}
