package io.imageworker.bench;

import io.imageworker.config.WorkerConfig;
import io.imageworker.pipeline.Tasks;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One kind of measurement of {@code bench} (start-up, end to end, cross-job batching, ...). What
 * they share comes from the {@link BenchHarness} (the options, workers launched as processes, jobs
 * produced through the broker, rows of the table) under the short names the measures use; each
 * measure adds its rows to its section of the table.
 */
abstract class Measure {

    /** Sections of the table, in print order. */
    static final int ENGINE = 0;
    static final int STARTUP = 1;
    static final int E2E = 2;
    static final int CROSS_JOB = 3;
    static final int TASKS = 4;
    static final int REAL_PHOTOS = 5;
    static final int DOCUMENTS = 6;
    static final int DELIVERY = 7;
    static final int MEMORY = 8;
    static final int COST = 9;
    static final int DURATION = 10;

    /** Options of the classify jobs the bench produces. */
    static final String TOP1 = "{\"topK\":1}";

    final BenchHarness harness;
    /** Repeats per measure; figures are medians. */
    final int repeats;
    /** Small workloads (a smoke run). */
    final boolean quick;
    final WorkerConfig config;
    /** The broker's client properties. */
    final Map<String, Object> kafka;
    /** The tasks the worker serves, for their default models. */
    final Tasks served;

    Measure(BenchHarness harness) {
        this.harness = harness;
        this.repeats = harness.repeats;
        this.quick = harness.quick;
        this.config = harness.config;
        this.kafka = harness.kafka;
        this.served = harness.served;
    }

    /** Adds a row to {@code section} of the table (and prints it). */
    void row(int section, String measure, String workload, String result, String comparison) {
        harness.row(section, measure, workload, result, comparison);
    }

    /** Prints how long the bench has run, after each part. */
    void phase(String done) {
        harness.phase(done);
    }

    /** A worker process on {@code topics}, ready (see {@link BenchHarness#worker}). */
    WorkerLauncher worker(String name, Map<String, String> env, List<String> topics) throws Exception {
        return harness.worker(name, env, topics);
    }

    /** Fresh topics for one scenario (see {@link BenchHarness#topics}). */
    List<String> topics(String scenario) throws Exception {
        return harness.topics(scenario);
    }

    /** {@code jobs} jobs of all {@code inputs}, produced at once (see {@link BenchHarness#batchJobs}). */
    JobDriver.Run batchJobs(JobDriver d, String task, List<String> inputs, int jobs, String options) throws Exception {
        return harness.batchJobs(d, task, inputs, jobs, options);
    }

    /** {@code n} single-image jobs (see {@link BenchHarness#singleJobs}). */
    JobDriver.Run singleJobs(JobDriver d, List<String> inputs, int n, double rate) throws Exception {
        return harness.singleJobs(d, inputs, n, rate);
    }

    /** The same warm-up for every cross-job worker: the JIT compiles the job path before it is timed. */
    void warmUp(JobDriver d, List<String> digits) throws Exception {
        batchJobs(d, "classify", digits, 4, TOP1);
        singleJobs(d, digits, 300, 0);
    }

    /** CPU time the process has used so far, nanoseconds (0 when the OS does not say). */
    static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
    }

    static String latencies(JobDriver.Run r) {
        return String.format("latency p50 %s / p95 %s / p99 %s ms", fmt(Stats.percentile(r.latenciesMs(), 50)),
                fmt(Stats.percentile(r.latenciesMs(), 95)), fmt(Stats.percentile(r.latenciesMs(), 99)));
    }

    static String fmt(double v) {
        return v >= 100 ? String.format("%,.0f", v) : String.format("%.1f", v);
    }

    static String fmt2(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%.2f", v);
    }

    static String fmt1(double v) {
        return String.format("%.1f", v);
    }
}
