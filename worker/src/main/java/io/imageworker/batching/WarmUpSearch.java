package io.imageworker.batching;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A model's warm-up search: which batch size and how many inference threads serve it best on this
 * machine, measured on a sample within a native-memory budget ({@link MemoryBound}) and chosen by
 * {@link BatchChoice}; or the choice kept from an earlier start ({@link ChoiceStore}), reused.
 * Runs on the batcher's inference thread, before the batcher serves.
 *
 * @param <I> the model's input
 * @param <O> the model's output
 */
final class WarmUpSearch<I, O> {

    private static final Logger LOG = Logger.getLogger(DynamicBatcher.class);

    private final String model;
    private final int cap;
    private final BatchTuning tuning;
    private final BooleanSupplier running;

    /**
     * @param cap the largest batch size tried
     * @param running false once the batcher closes: the search ends early
     */
    WarmUpSearch(String model, int cap, BatchTuning tuning, BooleanSupplier running) {
        this.model = model;
        this.cap = cap;
        this.tuning = tuning;
        this.running = running;
    }

    /** Runs {@code sample} at every batch size from 1 to {@code upTo}: engines prepare each new shape on its first call. */
    static <I, O> void warmSizes(BatchRunner<I, O> runner, I sample, int upTo, BooleanSupplier running) throws Exception {
        for (int size = 1; size <= upTo && running.getAsBoolean(); size++) {
            runner.run(java.util.Collections.nCopies(size, sample));
        }
    }

    static String mib(long bytes) {
        return bytes < 0 ? "unknown" : (bytes >> 20) + " MiB";
    }

    /**
     * A call of the batch size being timed that takes longer than this ends the search: a larger
     * batch would keep every item waiting longer than that for a gain the queue rarely sees, and
     * timing it costs the most.
     */
    static final double MAX_TUNED_CALL_SECONDS = 0.25;

    /**
     * Times batch sizes 1, 2, 4 ... up to the cap (stopping once two sizes in a row fall below 90%
     * of the best, or a call takes longer than {@value #MAX_TUNED_CALL_SECONDS} s: larger ones will
     * not win or would hold items too long; on the CPU both judged by CPU time where the calls
     * compute), then 2 ... maxThreads threads at the size
     * {@link BatchChoice} keeps, and keeps what {@link BatchChoice} chooses from those timings.
     */
    DynamicBatcher.Choice measure(BatchRunner<I, O> runner, Supplier<BatchRunner<I, O>> runnerFactory, I sample, long base)
            throws Exception {
        long t0 = System.nanoTime();
        Map<String, Double> seen = new java.util.LinkedHashMap<>();
        List<BatchChoice.Candidate> sizes = new ArrayList<>();
        // The first calls run the Java around the engine (the translator) interpreted: timed, they
        // made batch 1 look up to twice as dear in CPU per item as the candidates timed after it.
        long warmEnd = System.nanoTime() + 200_000_000L;
        for (int n = 0; (n < 5 || System.nanoTime() < warmEnd) && running.getAsBoolean(); n++) {
            runner.run(List.of(sample));
        }
        double best = 0;
        int worse = 0;
        MemoryBound bound = new MemoryBound(tuning.memoryBudget(), base);
        String stoppedBy = null;
        for (int b = 1; b <= cap && running.getAsBoolean(); b = b >= cap ? cap + 1 : Math.min(cap, b * 2)) {
            if (b > 1 && bound.predictedOver(b)) {
                stoppedBy = "b" + b + " predicted over " + mib(tuning.memoryBudget());
                break;
            }
            BatchChoice.Candidate c = throughput(List.of(runner), sample, b);
            if (bound.measuredOver(b) && b > 1) {
                stoppedBy = "b" + b + " held " + mib(bound.last()) + ", over " + mib(tuning.memoryBudget());
                break;
            }
            sizes.add(c);
            seen.put("b" + b, c.itemsPerSecond());
            // on the CPU by CPU time where the calls compute: a loaded machine's pauses stretch
            // wall time (by 10x at a load average of 20 on 2 cores) and ended the search at batch 1
            double value = tuning.accelerator() ? c.itemsPerSecond() : 1 / c.cost(BatchChoice.byCpu(sizes));
            worse = value < 0.9 * best ? worse + 1 : 0;
            best = Math.max(best, value);
            if (worse >= 2 || b / value > MAX_TUNED_CALL_SECONDS) {
                break;
            }
        }
        int chosen = BatchChoice.batchSize(sizes, tuning.accelerator()).batchSize();
        List<BatchChoice.Candidate> more = new ArrayList<>();
        List<BatchRunner<I, O>> extra = new ArrayList<>();
        try {
            for (int t = 2; t <= tuning.maxThreads() && running.getAsBoolean(); t++) {
                extra.add(runnerFactory.get());
                List<BatchRunner<I, O>> runners = new ArrayList<>(List.of(runner));
                runners.addAll(extra);
                BatchChoice.Candidate c = throughput(runners, sample, chosen);
                if (bound.measuredOver(-t)) {
                    stoppedBy = "t" + t + " held " + mib(bound.last()) + ", over " + mib(tuning.memoryBudget());
                    break;
                }
                more.add(c);
                seen.put("t" + t, c.itemsPerSecond());
            }
        } finally {
            extra.forEach(BatchRunner::close);
        }
        BatchChoice.Kept kept = BatchChoice.choose(sizes, more, tuning.accelerator());
        warmSizes(runner, sample, kept.batchSize(), running);
        DynamicBatcher.Choice choice = new DynamicBatcher.Choice(kept.batchSize(), kept.threads(), kept.itemsPerSecond(), seen);
        Map<String, String> cpu = new java.util.LinkedHashMap<>();
        sizes.forEach(c -> cpu.put("b" + c.batchSize(), cpuMs(c)));
        more.forEach(c -> cpu.put("t" + c.threads(), cpuMs(c)));
        long held = base < 0 ? -1 : NativeMemory.heldBytes() - base;
        LOG.infof("%s measured at warm-up in %d ms on the %s: batch size %d, %d inference thread(s), %.1f items/s,"
                + " native memory %s (candidates, items/s: %s; CPU ms per item: %s; native MiB: %s%s)", model,
                (System.nanoTime() - t0) / 1_000_000, tuning.accelerator() ? "accelerator" : "CPU", kept.batchSize(),
                kept.threads(), kept.itemsPerSecond(), mib(held), round(seen), cpu, bound.history(),
                stoppedBy == null ? "" : "; stopped at " + stoppedBy);
        return choice;
    }

    /**
     * The choice kept under this model's key, when there is one within this search's bounds, its
     * batch sizes warmed up (engines prepare each new shape on its first call) without timing
     * anything. Empty when there is none: the caller measures.
     */
    Optional<DynamicBatcher.Choice> reuse(BatchRunner<I, O> runner, I sample) throws Exception {
        if (tuning.remembered() == null) {
            return Optional.empty();
        }
        Optional<DynamicBatcher.Choice> kept = tuning.remembered().find();
        if (kept.isEmpty() || kept.get().batchSize() > cap || kept.get().threads() > tuning.maxThreads()
                || kept.get().batchSize() < 1 || kept.get().threads() < 1) {
            return Optional.empty();
        }
        long t0 = System.nanoTime();
        DynamicBatcher.Choice c = kept.get();
        warmSizes(runner, sample, c.batchSize(), running);
        LOG.infof("%s warmed up in %d ms with the choice kept in %s: batch size %d, %d inference thread(s), %.1f items/s"
                + " when measured", model, (System.nanoTime() - t0) / 1_000_000, tuning.remembered().file(), c.batchSize(),
                c.threads(), c.itemsPerSecond());
        return kept;
    }

    private static String cpuMs(BatchChoice.Candidate c) {
        return Double.isNaN(c.cpuSecondsPerItem()) ? "?" : String.format(java.util.Locale.ROOT, "%.2f", c.cpuSecondsPerItem() * 1e3);
    }

    private static Map<String, Long> round(Map<String, Double> rates) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        rates.forEach((k, v) -> out.put(k, Math.round(v)));
        return out;
    }

    /**
     * Items per second, and CPU time of the calling threads per item, when each runner calls
     * batches of {@code size} at once on its own thread: one untimed call each (first-call costs),
     * then the better of two windows (by items per second), each of calls until 3 per runner and
     * 50 ms have passed.
     */
    private BatchChoice.Candidate throughput(List<BatchRunner<I, O>> runners, I sample, int size) throws Exception {
        List<I> batch = java.util.Collections.nCopies(size, sample);
        for (BatchRunner<I, O> r : runners) {
            r.run(batch);
        }
        // The better of two windows: a shared machine's pauses only ever slow a window down.
        BatchChoice.Candidate a = window(runners, batch);
        BatchChoice.Candidate b = window(runners, batch);
        return a.itemsPerSecond() >= b.itemsPerSecond() ? a : b;
    }

    private static final java.lang.management.ThreadMXBean THREAD_CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    /** CPU nanoseconds of the calling thread, or -1 where the JVM does not measure it. */
    private static long threadCpuNanos() {
        return THREAD_CPU.isCurrentThreadCpuTimeSupported() ? THREAD_CPU.getCurrentThreadCpuTime() : -1;
    }

    private BatchChoice.Candidate window(List<BatchRunner<I, O>> runners, List<I> batch) throws Exception {
        int size = batch.size();
        java.util.concurrent.atomic.AtomicLong items = new java.util.concurrent.atomic.AtomicLong();
        // the engine's calls run on the calling thread with one intra-op thread (the default); a pool
        // of more intra-op threads is not counted here
        java.util.concurrent.atomic.AtomicLong cpuNanos = new java.util.concurrent.atomic.AtomicLong();
        long start = System.nanoTime();
        long minEnd = start + 50_000_000L;
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (BatchRunner<I, O> r : runners) {
            calls.add(CompletableFuture.runAsync(() -> {
                try {
                    long cpu0 = threadCpuNanos();
                    for (int n = 0; n < 3 || System.nanoTime() < minEnd; n++) {
                        r.run(batch);
                        items.addAndGet(size);
                    }
                    long cpu1 = threadCpuNanos();
                    cpuNanos.addAndGet(cpu0 < 0 || cpu1 < 0 ? Long.MIN_VALUE / 4 : cpu1 - cpu0);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, runnable -> InferenceThreads.run("tune-" + model, runnable)));
        }
        try {
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        double rate = items.get() / ((System.nanoTime() - start) / 1e9);
        double cpuPerItem = cpuNanos.get() < 0 ? Double.NaN : cpuNanos.get() / 1e9 / items.get();
        return new BatchChoice.Candidate(size, runners.size(), rate, cpuPerItem);
    }
}
