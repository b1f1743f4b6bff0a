package io.imageworker.pipeline;

import io.imageworker.config.WorkerConfig;
import io.imageworker.inference.ModelServer;
import io.imageworker.tasks.TaskHandler;
import io.imageworker.tasks.TaskTranslation;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tasks this worker serves: every {@link TaskHandler} bean found under {@code tasks/}, by name.
 * It resolves each task's default model (configuration first, then the task's own) and gives the
 * model server each task's translator, so that adding a task changes nothing here.
 */
@ApplicationScoped
public class Tasks {

    private final Map<String, TaskHandler> byName;
    private final WorkerConfig.Models config;

    /**
     * The CDI constructor: every {@link TaskHandler} bean, with model defaults from
     * {@code image-worker.models}.
     *
     * @throws IllegalStateException when two handlers have the same task name
     */
    @Inject
    public Tasks(@All List<TaskHandler> discovered, WorkerConfig config) {
        this(discovered, config.models());
    }

    /** For tests: the given tasks, with model defaults from {@code config}. */
    public Tasks(Collection<TaskHandler> tasks, WorkerConfig.Models config) {
        Map<String, TaskHandler> m = new TreeMap<>();
        for (TaskHandler t : tasks) {
            TaskHandler clash = m.put(t.task(), t);
            if (clash != null) {
                throw new IllegalStateException("two tasks are named '" + t.task() + "': " + clash.getClass().getName()
                        + " and " + t.getClass().getName());
            }
        }
        this.byName = Collections.unmodifiableMap(m);
        this.config = config;
    }

    /**
     * The task answering each Cloud Vision feature type ({@link TaskHandler#visionFeature()}), by
     * type, sorted.
     *
     * @throws IllegalStateException when two tasks answer the same type
     */
    public Map<String, TaskHandler> byVisionFeature() {
        Map<String, TaskHandler> m = new TreeMap<>();
        for (TaskHandler t : byName.values()) {
            String type = t.visionFeature();
            if (type != null) {
                TaskHandler clash = m.put(type, t);
                if (clash != null) {
                    throw new IllegalStateException("two tasks answer Cloud Vision's " + type + ": " + clash.task()
                            + " and " + t.task());
                }
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** Every served task by name, sorted. */
    public Map<String, TaskHandler> byName() {
        return byName;
    }

    /**
     * The default model of {@code task}: {@code image-worker.models.default.<task>}, else the task's own;
     * null when the task has none (or is not served).
     */
    public String defaultModel(String task) {
        String configured = config.defaults().get(task);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        TaskHandler t = byName.get(task);
        return t == null ? null : t.defaultModel();
    }

    /**
     * The tasks whose default model is loaded before the worker reports ready:
     * {@code image-worker.models.preload}, or every task with a default model when it is unset.
     *
     * @throws IllegalArgumentException when the setting names a task without a default model
     */
    public List<String> preload() {
        List<String> named = config.preload().orElse(null);
        if (named == null) {
            List<String> all = new ArrayList<>();
            byName.keySet().forEach(t -> {
                if (byName.get(t).usesModel() && defaultModel(t) != null) {
                    all.add(t);
                }
            });
            return all;
        }
        for (String task : named) {
            if (defaultModel(task) == null) {
                throw new IllegalArgumentException("image-worker.models.preload names '" + task
                        + "', which is not a served task with a default model " + byName.keySet());
            }
        }
        return named;
    }

    /** Each served task's translator and warm-up input, for the model server. */
    public ModelServer.Translation translation() {
        return new TaskTranslation(byName);
    }
}
