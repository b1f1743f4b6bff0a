package io.imageworker.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 7. Delivery guarantees: the same burst of single-image jobs on a worker in at-least-once mode
 * and on one in exactly-once mode (results and offsets in one transaction per commit, read by a
 * {@code read_committed} driver), each fresh with the same warm-up; medians of the repeats,
 * the modes alternating so that drift of this machine's speed hits both.
 */
final class DeliveryMeasure extends Measure {

    DeliveryMeasure(BenchHarness harness) {
        super(harness);
    }

    /** Runs this measure on {@code shared}, adding its rows to the table. */
    void run(BenchSetup shared) throws Exception {
        List<String> digits = shared.digits();
        int n = quick ? 300 : 1000;
        Map<String, List<JobDriver.Run>> runs = new LinkedHashMap<>();
        List<String> modes = List.of("at-least-once", "exactly-once");
        Map<String, WorkerLauncher> workers = new LinkedHashMap<>();
        Map<String, JobDriver> drivers = new LinkedHashMap<>();
        try {
            for (String mode : modes) {
                Map<String, String> env = new HashMap<>(shared.deployed());
                env.put("IMAGE_WORKER_DELIVERY", mode);
                List<String> tt = topics("delivery-" + mode);
                workers.put(mode, worker("delivery-" + mode, env, tt));
                JobDriver d = new JobDriver(kafka, tt.get(0), tt.get(1), mode.equals("exactly-once"));
                drivers.put(mode, d);
                warmUp(d, digits);
            }
            for (int r = 0; r < repeats; r++) {
                for (String mode : modes) {
                    runs.computeIfAbsent(mode, k -> new ArrayList<>()).add(singleJobs(drivers.get(mode), digits, n, 0));
                }
            }
        } finally {
            for (JobDriver d : drivers.values()) {
                d.close();
            }
            for (WorkerLauncher w : workers.values()) {
                w.close();
            }
        }
        Map<String, Double> rate = new LinkedHashMap<>();
        for (String mode : modes) {
            List<JobDriver.Run> rs = runs.get(mode);
            rate.put(mode, Stats.median(rs.stream().map(JobDriver.Run::imagesPerSecond).toList()));
            JobDriver.Run last = rs.get(rs.size() - 1);
            row(DELIVERY, "delivery, burst", n + " single-image jobs at once, " + mode + (mode.equals("exactly-once")
                    ? " (results read read_committed)" : ""), fmt(rate.get(mode)) + " jobs/s",
                    mode.equals("exactly-once") ? String.format("%.2f of at-least-once in the same run; last run's %s",
                            rate.get(mode) / rate.get("at-least-once"), latencies(last)) : "last run's " + latencies(last));
        }
        phase("delivery");
    }
}
