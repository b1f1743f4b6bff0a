package io.imageworker.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.imageworker.config.ModelsConfig;
import io.imageworker.config.WorkerConfig;
import io.imageworker.events.EventSchemas;
import io.imageworker.events.SchemaAssembly;
import io.imageworker.inference.ModelServer;
import io.imageworker.tasks.LoadsOnDemand;
import io.imageworker.tasks.ServesModels;
import io.imageworker.tasks.TaskHandler;
import io.imageworker.tasks.TaskTranslation;
import io.imageworker.tasks.VisionAnswer;
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
 * The tasks this worker serves: every {@link TaskHandler} bean found under {@code tasks/}, by name,
 * or those {@code image-worker.tasks} names (a pool's).
 * It resolves each task's default model (configuration first, then the task's own) and gives the
 * model server each task's translator, so that adding a task changes nothing here.
 */
@ApplicationScoped
public class Tasks {

    private final Map<String, TaskHandler> byName;
    /** Every task of the application, served here or not: routing needs to know what answers a feature. */
    private final Map<String, TaskHandler> known;
    private final ModelsConfig config;

    /**
     * The CDI constructor: every {@link TaskHandler} bean, with model defaults from
     * {@code image-worker.models}.
     *
     * @throws IllegalStateException when two handlers have the same task name
     */
    @Inject
    public Tasks(@All List<TaskHandler> discovered, WorkerConfig config) {
        this(discovered, config.models(), config.tasks().orElse(null));
    }

    /** For tests: the given tasks, all served, with model defaults from {@code config}. */
    public Tasks(Collection<TaskHandler> tasks, ModelsConfig config) {
        this(tasks, config, null);
    }

    /**
     * The given tasks, of which {@code served} are served (null: all), with model defaults from {@code config}.
     *
     * @throws IllegalArgumentException when {@code served} names no task, or a task that is not among {@code tasks}
     */
    public Tasks(Collection<TaskHandler> tasks, ModelsConfig config, List<String> served) {
        Map<String, TaskHandler> m = new TreeMap<>();
        for (TaskHandler t : tasks) {
            TaskHandler clash = m.put(t.task(), t);
            if (clash != null) {
                throw new IllegalStateException("two tasks are named '" + t.task() + "': " + clash.getClass().getName()
                        + " and " + t.getClass().getName());
            }
        }
        this.known = Collections.unmodifiableMap(m);
        if (served == null) {
            this.byName = known;
        } else {
            Map<String, TaskHandler> s = new TreeMap<>();
            for (String name : served) {
                TaskHandler t = m.get(name.trim());
                if (t == null) {
                    throw new IllegalArgumentException("image-worker.tasks names '" + name.trim()
                            + "', which is no task of this application " + m.keySet());
                }
                s.put(t.task(), t);
            }
            if (s.isEmpty()) {
                throw new IllegalArgumentException("image-worker.tasks names no task: unset it to serve every task " + m.keySet());
            }
            this.byName = Collections.unmodifiableMap(s);
        }
        this.config = config;
    }

    /** Every task of the application by name, served by this worker or not, sorted. */
    public Map<String, TaskHandler> known() {
        return known;
    }

    /**
     * The name of the task answering each Cloud Vision feature type among every task of the
     * application (served here or not), by type, sorted: what an {@code annotate} job needs of a pool.
     */
    public Map<String, String> taskByVisionFeature() {
        Map<String, String> m = new TreeMap<>();
        known.values().forEach(t -> {
            if (t instanceof VisionAnswer v) {
                v.visionFeatures().forEach(type -> m.put(type, t.task()));
            }
        });
        return Collections.unmodifiableMap(m);
    }

    /**
     * The served task answering each Cloud Vision feature type ({@link VisionAnswer#visionFeatures()}),
     * by type, sorted.
     *
     * @throws IllegalStateException when two tasks answer the same type
     */
    public Map<String, VisionAnswer> byVisionFeature() {
        Map<String, VisionAnswer> m = new TreeMap<>();
        for (TaskHandler h : byName.values()) {
            if (h instanceof VisionAnswer t) {
                for (String type : t.visionFeatures()) {
                    VisionAnswer clash = m.put(type, t);
                    if (clash != null) {
                        throw new IllegalStateException("two tasks answer Cloud Vision's " + type + ": " + clash.task()
                                + " and " + t.task());
                    }
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
     * {@code image-worker.models.preload}, or every task with a default model when it is unset, but
     * those that load on demand ({@link LoadsOnDemand}: objects).
     *
     * @throws IllegalArgumentException when the setting names a task without a default model, or one
     *     this worker does not serve
     */
    public List<String> preload() {
        List<String> named = config.preload().orElse(null);
        if (named == null) {
            List<String> all = new ArrayList<>();
            byName.keySet().forEach(t -> {
                if (byName.get(t) instanceof ServesModels && !(byName.get(t) instanceof LoadsOnDemand) && defaultModel(t) != null) {
                    all.add(t);
                }
            });
            return all;
        }
        for (String task : named) {
            if (!byName.containsKey(task) || defaultModel(task) == null) {
                throw new IllegalArgumentException("image-worker.models.preload names '" + task
                        + "', which is not a served task with a default model " + byName.keySet());
            }
        }
        return named;
    }

    /**
     * The job and result schemas for every task of the application ({@link #known()}), assembled from
     * each task's fragment beside its classes ({@link SchemaAssembly}): what intake validates against,
     * so that a task found here is a task the job schema accepts.
     *
     * @throws IllegalStateException when a task's fragment names another task
     */
    public Map<EventSchemas.Contract, JsonNode> schemas() {
        List<JsonNode> fragments = new ArrayList<>();
        for (TaskHandler t : known.values()) {
            JsonNode f = SchemaAssembly.fragmentOf(t.getClass());
            if (f == null) {
                f = JsonNodeFactory.instance.objectNode().put("task", t.task());
            } else if (!t.task().equals(f.path("task").asText())) {
                throw new IllegalStateException("the schema fragment beside " + t.getClass().getName() + " is of task '"
                        + f.path("task").asText() + "', not '" + t.task() + "'");
            }
            fragments.add(f);
        }
        return SchemaAssembly.assemble(fragments);
    }

    /** Each served task's translator and warm-up input, for the model server. */
    public ModelServer.Translation translation() {
        return new TaskTranslation(byName);
    }
}
