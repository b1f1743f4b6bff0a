package io.imageworker.planning;

import io.imageworker.tasks.TaskHandler;
import io.imageworker.tasks.VisionAnswer;
import java.util.Map;

/** The tasks a job may be planned with: what planning asks of the worker's task registry. */
public interface TaskCatalog {

    /** Every task this worker serves, by name. */
    Map<String, TaskHandler> byName();

    /**
     * The served task answering each Cloud Vision feature type, by type.
     *
     * @throws IllegalStateException when two tasks answer the same type
     */
    Map<String, VisionAnswer> byVisionFeature();

    /** The model {@code task} serves when a job names none ({@code name} or {@code name:version}), or null. */
    String defaultModel(String task);
}
