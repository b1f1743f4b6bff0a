package io.imageworker.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** 5. The other tasks with a built-in model, dynamic batching against max batch 1. */
final class TaskMeasure extends Measure {

    TaskMeasure(BenchHarness harness) {
        super(harness);
    }

    /**
     * @param others the tasks to measure (each with a built-in model; classify and the real-photo
     *     tasks are measured elsewhere)
     */
    void run(BenchSetup shared, List<String> others) throws Exception {
        List<String> digits = shared.digits();
        Map<String, String> dynamic = shared.deployed();
        // the other tasks: one worker per mode serves all of them, one task after the other
        int taskJobs = quick ? 2 : 3;
        Map<String, Map<String, Double>> taskRates = new LinkedHashMap<>();
        for (String mode : others.isEmpty() ? List.<String>of() : List.of("batch1", "dynamic")) {
            Map<String, String> env = new HashMap<>(dynamic);
            env.put("IMAGE_WORKER_MODELS_PRELOAD", String.join(",", others));
            if (mode.equals("batch1")) {
                env.put("IMAGE_WORKER_BATCHING_MAX_BATCH_SIZE", "1");
                for (String task : others) {
                    env.put("IMAGE_WORKER_BATCHING_PER_MODEL_" + served.defaultModel(task).toUpperCase(Locale.ROOT)
                            .replace('-', '_') + "_MAX_BATCH_SIZE", "1");
                }
            }
            List<String> tt = topics("tasks-" + mode);
            try (WorkerLauncher w = worker("tasks-" + mode, env, tt); JobDriver d = new JobDriver(kafka, tt.get(0), tt.get(1))) {
                for (String task : others) {
                    List<Double> rates = new ArrayList<>();
                    for (int r = 0; r < repeats; r++) {
                        rates.add(batchJobs(d, task, digits.subList(0, 64), taskJobs, null).imagesPerSecond());
                    }
                    taskRates.computeIfAbsent(task, k -> new LinkedHashMap<>()).put(mode, Stats.median(rates));
                }
            }
            phase("other tasks, " + mode);
        }
        taskRates.forEach((task, rate) -> row(TASKS, task, taskJobs + " jobs x 64 " + (task.equals("generate") ? "samples" : "images")
                + ", dynamic batching", fmt(rate.get("dynamic")) + " img/s", String.format("%.2fx of max batch 1 (%s img/s)",
                        rate.get("dynamic") / rate.get("batch1"), fmt(rate.get("batch1")))));

    }
}
