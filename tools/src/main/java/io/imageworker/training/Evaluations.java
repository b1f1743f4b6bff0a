package io.imageworker.training;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The evaluation of each task, found as tasks are: every {@link ModelEvaluation} that
 * {@link ServiceLoader} finds (listed in {@code META-INF/services/io.imageworker.training.ModelEvaluation}),
 * keyed by its {@link ModelEvaluation#task()}. No list here names them.
 */
public final class Evaluations {

    private Evaluations() {}

    /** Loaded once, on first use. */
    private static final class Found {
        static final Map<String, ModelEvaluation> BY_TASK = load();

        private static Map<String, ModelEvaluation> load() {
            Map<String, ModelEvaluation> m = new TreeMap<>();
            for (ModelEvaluation e : ServiceLoader.load(ModelEvaluation.class, Evaluations.class.getClassLoader())) {
                ModelEvaluation clash = m.put(e.task(), e);
                if (clash != null) {
                    throw new IllegalStateException("two evaluations of task '" + e.task() + "': "
                            + clash.getClass().getName() + " and " + e.getClass().getName());
                }
            }
            return Collections.unmodifiableMap(m);
        }
    }

    /** Every evaluation by task, sorted. */
    public static Map<String, ModelEvaluation> byTask() {
        return Found.BY_TASK;
    }

    /** The evaluation of {@code task}, if it has one. */
    public static Optional<ModelEvaluation> find(String task) {
        return Optional.ofNullable(Found.BY_TASK.get(task));
    }

    /**
     * The evaluation for a model card's task.
     *
     * @throws IllegalArgumentException for a task without one (its message lists those with one)
     */
    public static ModelEvaluation forTask(String task) {
        return find(task).orElseThrow(() -> new IllegalArgumentException("no evaluation for task '" + task
                + "' (tasks with one: " + Found.BY_TASK.keySet() + ")"));
    }
}
