package io.imageworker.bench;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** 4. Cross-job batching: single-image jobs, max batch 1 against dynamic batching, burst and steady. */
final class CrossJobMeasure extends Measure {

    CrossJobMeasure(BenchHarness harness) {
        super(harness);
    }

    /** Runs this measure on {@code shared}, adding its rows to the table. */
    void run(BenchSetup shared) throws Exception {
        List<String> digits = shared.digits();
        int maxBatch = shared.maxBatch();
        int singleJobs = quick ? 300 : 2000;
        Map<String, String> dynamic = shared.deployed();
        // cross-job batching: single-image jobs, each mode on a fresh worker with the same warm-up; max batch 1
        // first, its burst rate sets the steady rate of both (80% of what max batch 1 can serve)
        Map<String, JobDriver.Run> burst = new LinkedHashMap<>();
        Map<String, JobDriver.Run> steady = new LinkedHashMap<>();
        Requests requests = null;
        for (String mode : List.of("batch1", "dynamic")) {
            Map<String, String> env = new HashMap<>(dynamic);
            if (mode.equals("batch1")) {
                env.put("IMAGE_WORKER_BATCHING_MAX_BATCH_SIZE", "1");
            }
            List<String> tt = topics("single-" + mode);
            try (WorkerLauncher w = worker("single-" + mode, env, tt); JobDriver d = new JobDriver(kafka, tt.get(0), tt.get(1))) {
                warmUp(d, digits);
                String how = mode.equals("batch1") ? "max batch 1" : "dynamic batching";
                Requests before = Requests.of(w);
                JobDriver.Run b = singleJobs(d, digits, singleJobs, 0);
                if (mode.equals("dynamic")) {
                    requests = Requests.of(w).since(before);
                }
                burst.put(mode, b);
                row(CROSS_JOB, "cross-job, burst", singleJobs + " single-image jobs at once, " + how,
                        fmt(b.imagesPerSecond()) + " img/s", latencies(b));
                double rate = 0.8 * burst.get("batch1").imagesPerSecond();
                JobDriver.Run s = singleJobs(d, digits, singleJobs, rate);
                steady.put(mode, s);
                row(CROSS_JOB, "cross-job, steady", singleJobs + " single-image jobs at " + fmt(rate) + "/s, " + how,
                        fmt(s.imagesPerSecond()) + " img/s", latencies(s));
            }
            phase("cross-job, " + mode);
        }
        row(CROSS_JOB, "cross-job, requests", "per single-image job over the dynamic burst (the worker's counters)",
                requests.perJob(singleJobs), "object-store requests by type; Kafka records the worker produced");
        // the same burst with the defaults before requests were cut: HEAD before the work, report.html and items.jsonl
        Map<String, String> previous = new HashMap<>(dynamic);
        previous.put("IMAGE_WORKER_STORAGE_CONDITIONAL_WRITES", "off");
        previous.put("IMAGE_WORKER_RESULTS_REPORT_MIN_ITEMS", "1");
        previous.put("IMAGE_WORKER_RESULTS_ITEMS_FILE_MIN_ITEMS", "1");
        List<String> pt = topics("single-previous");
        try (WorkerLauncher w = worker("single-previous", previous, pt); JobDriver d = new JobDriver(kafka, pt.get(0), pt.get(1))) {
            warmUp(d, digits);
            Requests before = Requests.of(w);
            JobDriver.Run b = singleJobs(d, digits, singleJobs, 0);
            Requests used = Requests.of(w).since(before);
            row(CROSS_JOB, "cross-job, burst", singleJobs + " single-image jobs at once, dynamic batching, previous defaults"
                    + " (HEAD before the work, report.html, items.jsonl)", fmt(b.imagesPerSecond()) + " img/s",
                    String.format("%.2f of the current defaults' burst; per job %s; %s", b.imagesPerSecond()
                            / burst.get("dynamic").imagesPerSecond(), used.perJob(singleJobs), latencies(b)));
        }
        double batchCompute = 1000.0 * maxBatch / shared.engine().get(maxBatch);
        double p99Bound = config.batching().maxQueueDelay().toMillis() + 3 * batchCompute;
        double ratio = burst.get("dynamic").imagesPerSecond() / burst.get("batch1").imagesPerSecond();
        double engineGain = shared.engineBest() / shared.engine().get(1);
        row(CROSS_JOB, "cross-job, ratio", "dynamic vs max batch 1, burst throughput", String.format("%.2fx", ratio),
                String.format("%.2f of the engine's own batching gain in this run (%.1fx, best batch vs batch 1; goal >= 0.8);"
                        + " steady p99 %s ms vs bound %s ms (max delay + 3 x one batch's compute);"
                        + " a burst's p99 is the time to drain the whole burst", ratio / engineGain, engineGain,
                        fmt(Stats.percentile(steady.get("dynamic").latenciesMs(), 99)), fmt(p99Bound)));
        phase("cross-job, previous defaults");

    }
}
