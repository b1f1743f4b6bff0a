package io.imageworker.batching;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Gathers items from any number of jobs into batches for one model on one device, and runs them on
 * a single inference thread (one predictor, no contention inside the engine).
 *
 * <p>Collection follows Triton and djl-serving: take the first item (blocking), drain what is
 * already queued up to {@code maxBatchSize}, then keep polling until the first item has waited
 * {@code maxQueueDelay}. Higher priority items leave the queue first; equal priorities keep
 * arrival order. The queue itself is unbounded here because the pipeline bounds what is in flight
 * before it submits (see the pipeline's ItemPermits), so a full queue slows intake rather than
 * dropping anything.
 *
 * <p>A batch that throws is retried item by item, so one poison image fails alone.
 *
 * @param <I> model input per item
 * @param <O> model output per item
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DynamicBatcher.class);

    private final String model;
    private final int maxBatchCap;
    private final long maxDelayNanos;
    private final BatchObserver observer;
    private final Tuning tuning;
    private final PriorityBlockingQueue<Request<I, O>> queue = new PriorityBlockingQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    /** The inference loop, on a thread of {@link InferenceThreads}. */
    private final CompletableFuture<Void> mainLoop;
    private final List<CompletableFuture<Void>> extraThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> warmed = new CompletableFuture<>();
    private volatile boolean running = true;
    /** The batch size in use: the cap, or what the warm-up measured as best. */
    private volatile int maxBatchSize;
    private volatile int threads = 1;

    /**
     * How the batcher chooses its batch size and number of inference threads.
     *
     * @param measure time the candidates at warm-up and keep the best by {@link BatchChoice} (needs a
     *     warm-up sample); false: batches up to the cap on {@code maxThreads} threads
     * @param maxThreads most inference threads (each with its own runner, sharing the queue); more
     *     than 1 only for engines whose sessions take concurrent calls. Without measuring, the number served
     * @param bucket the shape of an item: only items of equal shape share a batch (inputs of any
     *     size are never padded to each other); null: all items share one shape. A shape that is a
     *     list of numbers (an image tensor's C, H, W) also counts the elements for the padding
     *     metric ({@link BatchObserver#elements})
     * @param accelerator the model runs on a GPU: {@link BatchChoice} keeps large batches where they
     *     pay in items per second, rather than weighing an item's CPU cost
     * @param memoryBudget most native memory, in bytes, the model's warm-up may leave held by the
     *     process ({@link NativeMemory#heldBytes()} grown from its first call on: the engine's arrays,
     *     pools and caches at the batch sizes it ran); the search does not try a batch size whose
     *     growth, extrapolated from the sizes before it, passes it, and drops one that did. 0: no bound
     * @param remembered where the choice is kept between starts: a choice kept under the same key
     *     is reused instead of measured, a new one is saved there; null: measured at every start
     */
    public record Tuning(boolean measure, int maxThreads, java.util.function.Function<Object, Object> bucket,
            boolean accelerator, long memoryBudget, ChoiceStore remembered) {

        /** No measurement, one thread, one shape: batches up to the cap. */
        public static final Tuning FIXED = new Tuning(false, 1, null);

        /** @throws IllegalArgumentException when {@code maxThreads} is below 1 or the budget negative */
        public Tuning {
            if (maxThreads < 1) {
                throw new IllegalArgumentException("inference threads must be at least 1, was " + maxThreads);
            }
            if (memoryBudget < 0) {
                throw new IllegalArgumentException("memory budget must be at least 0, was " + memoryBudget);
            }
        }

        /** On the CPU, memory unbounded, nothing kept between starts. */
        public Tuning(boolean measure, int maxThreads, java.util.function.Function<Object, Object> bucket) {
            this(measure, maxThreads, bucket, false, 0, null);
        }

        /** Memory unbounded, nothing kept between starts. */
        public Tuning(boolean measure, int maxThreads, java.util.function.Function<Object, Object> bucket,
                boolean accelerator) {
            this(measure, maxThreads, bucket, accelerator, 0, null);
        }

        /** Nothing kept between starts. */
        public Tuning(boolean measure, int maxThreads, java.util.function.Function<Object, Object> bucket,
                boolean accelerator, long memoryBudget) {
            this(measure, maxThreads, bucket, accelerator, memoryBudget, null);
        }
    }

    /**
     * What the warm-up measured and chose.
     *
     * @param batchSize the batch size kept (the smallest within 5% of the best throughput)
     * @param threads the inference threads kept
     * @param itemsPerSecond throughput at that choice, on the warm-up sample
     * @param candidates items per second of each candidate, by label ({@code b4}, {@code t2})
     */
    public record Choice(int batchSize, int threads, double itemsPerSecond, java.util.Map<String, Double> candidates) {}

    /**
     * One warm-up at a time in this process: the process's native memory has no per-thread reading,
     * so a model's footprint is its growth while it alone warms up. Start-up pays nothing for it on
     * a small CPU, where warm-ups running side by side only share the same cores.
     */
    private static final java.util.concurrent.locks.ReentrantLock WARM_UP = new java.util.concurrent.locks.ReentrantLock(true);

    /** Native bytes this model's warm-up left held ({@link NativeMemory#heldBytes()}); -1 until known or where unreadable. */
    private volatile long nativeBytes = -1;

    /**
     * Starts the inference thread; {@code runnerFactory} is called on it, so the predictor it opens
     * belongs to that thread.
     */
    public DynamicBatcher(String model, int maxBatchSize, java.time.Duration maxQueueDelay,
            Supplier<BatchRunner<I, O>> runnerFactory, BatchObserver observer) {
        this(model, maxBatchSize, maxQueueDelay, runnerFactory, observer, null);
    }

    /**
     * As above; when {@code warmUpSample} is given, the inference thread first runs it at every batch
     * size from 1 to {@code maxBatchSize} (engines prepare each new input shape on its first call,
     * which would otherwise land on a job), and {@link #warmed()} completes after that.
     */
    public DynamicBatcher(String model, int maxBatchSize, java.time.Duration maxQueueDelay,
            Supplier<BatchRunner<I, O>> runnerFactory, BatchObserver observer, I warmUpSample) {
        this(model, maxBatchSize, maxQueueDelay, runnerFactory, observer, warmUpSample, Tuning.FIXED);
    }

    /**
     * As above, with {@code tuning}: when it says measure, the warm-up times batch sizes 1, 2, 4 ...
     * up to {@code maxBatchSize} and then 2 ... {@code maxThreads} inference threads on the sample,
     * keeps the best (reported to the observer and logged), and warms every batch size up to the
     * one kept.
     */
    public DynamicBatcher(String model, int maxBatchSize, java.time.Duration maxQueueDelay,
            Supplier<BatchRunner<I, O>> runnerFactory, BatchObserver observer, I warmUpSample, Tuning tuning) {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be at least 1, was " + maxBatchSize);
        }
        this.model = model;
        this.maxBatchCap = maxBatchSize;
        this.maxBatchSize = maxBatchSize;
        this.maxDelayNanos = maxQueueDelay.toNanos();
        this.observer = observer;
        this.tuning = tuning;
        this.mainLoop = InferenceThreads.run("infer-" + model, () -> loop(runnerFactory, warmUpSample));
    }

    /** Queues one item; the future completes with its output or its own failure. */
    public CompletableFuture<O> submit(I input, int priority) {
        Request<I, O> r = new Request<>(input, priority, sequence.incrementAndGet(), System.nanoTime());
        if (!running) {
            r.future.completeExceptionally(new BatcherClosedException(model));
            return r.future;
        }
        queue.add(r);
        if (!running && queue.remove(r)) {
            // Lost the race with close(): the loop may already have drained the queue.
            r.future.completeExceptionally(new BatcherClosedException(model));
        }
        observer.queueDepth(model, queue.size());
        return r.future;
    }

    /** Items waiting in the queue now; those already taken into a batch are not counted. */
    public int queueDepth() {
        return queue.size();
    }

    /** The most items one model call takes, at least 1 (after warm-up: the measured choice). */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** Inference threads serving the queue (after warm-up: the measured choice). */
    public int threads() {
        return threads;
    }

    /**
     * Native memory, in bytes, that the process held more after this model's warm-up than before
     * it: the engine's arrays, pools and caches at the batch sizes and threads it ran (not the
     * weights, which loading took). -1 before the warm-up ends, without a warm-up sample, or where
     * the C library cannot be read.
     */
    public long nativeBytes() {
        return nativeBytes;
    }

    /** Completes once the warm-up ran (at once without a sample); fails if it could not. */
    public CompletableFuture<Void> warmed() {
        return warmed;
    }

    private void loop(Supplier<BatchRunner<I, O>> runnerFactory, I warmUpSample) {
        try (BatchRunner<I, O> runner = runnerFactory.get()) {
            if (warmUpSample == null) {
                threads = tuning.maxThreads();
                warmed.complete(null);
            } else {
                WARM_UP.lockInterruptibly();
                try {
                    long base = NativeMemory.heldBytes();
                    if (tuning.measure()) {
                        tune(runner, runnerFactory, warmUpSample, base);
                    } else {
                        threads = tuning.maxThreads();
                        warmUp(runner, warmUpSample);
                    }
                    nativeBytes = base < 0 ? -1 : Math.max(0, NativeMemory.heldBytes() - base);
                } finally {
                    WARM_UP.unlock();
                }
                // warm once the footprint is known and reported: readiness reads it
                if (!warmed.isDone()) {
                    observer.warmedUp(model, maxBatchSize, nativeBytes);
                    warmed.complete(null);
                }
            }
            for (int t = 1; t < threads && running; t++) {
                int number = t + 1;
                extraThreads.add(InferenceThreads.run("infer-" + model + "-" + number, () -> {
                    try (BatchRunner<I, O> own = runnerFactory.get()) {
                        serve(own);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "inference thread %d of %s stopped", number, model);
                    }
                }));
            }
            serve(runner);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "inference thread of %s stopped", model);
            warmed.completeExceptionally(e);
        } finally {
            running = false;
            for (CompletableFuture<Void> t : extraThreads) {
                awaitQuietly(t);
            }
            for (Request<I, O> r; (r = queue.poll()) != null; ) {
                r.future.completeExceptionally(new BatcherClosedException(model));
            }
        }
    }

    private void serve(BatchRunner<I, O> runner) throws InterruptedException {
        while (running) {
            List<Request<I, O>> batch = collect();
            if (!batch.isEmpty()) {
                observer.queueDepth(model, queue.size());
                run(runner, batch);
            }
        }
    }

    private void warmUp(BatchRunner<I, O> runner, I sample) {
        long t0 = System.nanoTime();
        try {
            warmSizes(runner, sample, maxBatchSize);
            LOG.infof("%s warmed up at batch sizes 1 to %d in %d ms", model, maxBatchSize, (System.nanoTime() - t0) / 1_000_000);
        } catch (Exception e) {
            warmed.completeExceptionally(e);
        }
    }

    private void warmSizes(BatchRunner<I, O> runner, I sample, int upTo) throws Exception {
        for (int size = 1; size <= upTo && running; size++) {
            runner.run(java.util.Collections.nCopies(size, sample));
        }
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
    private void tune(BatchRunner<I, O> runner, Supplier<BatchRunner<I, O>> runnerFactory, I sample, long base) {
        long t0 = System.nanoTime();
        try {
            if (reuse(runner, sample)) {
                return;
            }
            java.util.Map<String, Double> seen = new java.util.LinkedHashMap<>();
            List<BatchChoice.Candidate> sizes = new ArrayList<>();
            // The first calls run the Java around the engine (the translator) interpreted: timed, they
            // made batch 1 look up to twice as dear in CPU per item as the candidates timed after it.
            long warmEnd = System.nanoTime() + 200_000_000L;
            for (int n = 0; (n < 5 || System.nanoTime() < warmEnd) && running; n++) {
                runner.run(List.of(sample));
            }
            double best = 0;
            int worse = 0;
            MemoryBound bound = new MemoryBound(tuning.memoryBudget(), base);
            String stoppedBy = null;
            for (int b = 1; b <= maxBatchCap && running; b = b >= maxBatchCap ? maxBatchCap + 1 : Math.min(maxBatchCap, b * 2)) {
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
                for (int t = 2; t <= tuning.maxThreads() && running; t++) {
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
            warmSizes(runner, sample, kept.batchSize());
            maxBatchSize = kept.batchSize();
            threads = kept.threads();
            Choice choice = new Choice(kept.batchSize(), kept.threads(), kept.itemsPerSecond(), seen);
            observer.tuned(model, choice);
            if (tuning.remembered() != null) {
                try {
                    tuning.remembered().save(choice);
                } catch (java.io.IOException | RuntimeException e) {
                    LOG.warnf("%s: warm-up choice not kept in %s (%s); the next start measures again", model,
                            tuning.remembered().file(), e.toString());
                }
            }
            java.util.Map<String, String> cpu = new java.util.LinkedHashMap<>();
            sizes.forEach(c -> cpu.put("b" + c.batchSize(), cpuMs(c)));
            more.forEach(c -> cpu.put("t" + c.threads(), cpuMs(c)));
            long held = base < 0 ? -1 : NativeMemory.heldBytes() - base;
            LOG.infof("%s measured at warm-up in %d ms on the %s: batch size %d, %d inference thread(s), %.1f items/s,"
                    + " native memory %s (candidates, items/s: %s; CPU ms per item: %s; native MiB: %s%s)", model,
                    (System.nanoTime() - t0) / 1_000_000, tuning.accelerator() ? "accelerator" : "CPU", kept.batchSize(),
                    kept.threads(), kept.itemsPerSecond(), mib(held), round(seen), cpu, bound.history(),
                    stoppedBy == null ? "" : "; stopped at " + stoppedBy);
        } catch (Exception e) {
            warmed.completeExceptionally(e);
        }
    }

    /**
     * Serves the choice kept under this model's key, when there is one within this batcher's
     * bounds: warms its batch sizes up (engines prepare each new shape on its first call) without
     * timing anything. False when there is none: the caller measures.
     */
    private boolean reuse(BatchRunner<I, O> runner, I sample) throws Exception {
        if (tuning.remembered() == null) {
            return false;
        }
        java.util.Optional<Choice> kept = tuning.remembered().find();
        if (kept.isEmpty() || kept.get().batchSize() > maxBatchCap || kept.get().threads() > tuning.maxThreads()
                || kept.get().batchSize() < 1 || kept.get().threads() < 1) {
            return false;
        }
        long t0 = System.nanoTime();
        Choice c = kept.get();
        warmSizes(runner, sample, c.batchSize());
        maxBatchSize = c.batchSize();
        threads = c.threads();
        observer.tuned(model, c);
        LOG.infof("%s warmed up in %d ms with the choice kept in %s: batch size %d, %d inference thread(s), %.1f items/s"
                + " when measured", model, (System.nanoTime() - t0) / 1_000_000, tuning.remembered().file(), c.batchSize(),
                c.threads(), c.itemsPerSecond());
        return true;
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "unknown" : (bytes >> 20) + " MiB";
    }

    /**
     * The warm-up's native memory against its budget: growth of {@link NativeMemory#heldBytes()}
     * since {@code base}, read after each candidate, and extrapolated linearly in the batch size
     * from the last two sizes (from the first alone: proportional) to skip a size before it runs.
     */
    static final class MemoryBound {
        private final long budget;
        private final long base;
        private final java.util.Map<String, Long> history = new java.util.LinkedHashMap<>();
        private int b1;
        private long f1 = -1;
        private int b2;
        private long f2 = -1;
        private long last = -1;

        MemoryBound(long budget, long base) {
            this.budget = budget;
            this.base = base;
        }

        /** True when batch size {@code b}'s growth, extrapolated from the sizes measured, passes the budget. */
        boolean predictedOver(int b) {
            return budget > 0 && predicted(b) > budget;
        }

        /** The growth expected at batch size {@code b}, in bytes; 0 with nothing measured. */
        long predicted(int b) {
            if (f2 < 0) {
                return 0;
            }
            if (f1 < 0 || b2 == b1) {
                return f2 * b / Math.max(1, b2);
            }
            double slope = Math.max(0, (double) (f2 - f1) / (b2 - b1));
            return f2 + Math.round(slope * (b - b2));
        }

        /**
         * Reads the growth after batch size {@code b} ran (negative: {@code -b} threads at the chosen
         * size, not a batch size); true when it passes the budget.
         */
        boolean measuredOver(int b) {
            return record(b, base < 0 ? -1 : NativeMemory.heldBytes() - base);
        }

        boolean record(int b, long growth) {
            last = growth;
            if (growth < 0) {
                return false;
            }
            history.put(b < 0 ? "t" + -b : "b" + b, growth >> 20);
            if (b > 0) {
                b1 = b2;
                f1 = f2;
                b2 = b;
                f2 = growth;
            }
            return budget > 0 && growth > budget;
        }

        long last() {
            return last;
        }

        java.util.Map<String, Long> history() {
            return history;
        }
    }

    private static String cpuMs(BatchChoice.Candidate c) {
        return Double.isNaN(c.cpuSecondsPerItem()) ? "?" : String.format(java.util.Locale.ROOT, "%.2f", c.cpuSecondsPerItem() * 1e3);
    }

    private static java.util.Map<String, Long> round(java.util.Map<String, Double> rates) {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
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

    private List<Request<I, O>> collect() throws InterruptedException {
        Request<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return List.of();
        }
        int cap = maxBatchSize;
        List<Request<I, O>> batch = new ArrayList<>(cap);
        batch.add(first);
        Object shape = bucketOf(first.input);
        List<Request<I, O>> otherShapes = new ArrayList<>();
        long deadline = first.enqueuedNanos + maxDelayNanos;
        try {
            while (batch.size() < cap) {
                Request<I, O> next = queue.poll();
                if (next == null) {
                    long wait = deadline - System.nanoTime();
                    if (wait <= 0) {
                        break;
                    }
                    next = queue.poll(wait, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                }
                if (java.util.Objects.equals(shape, bucketOf(next.input))) {
                    batch.add(next);
                } else {
                    otherShapes.add(next); // never padded together: back to the queue, in order
                }
            }
        } finally {
            queue.addAll(otherShapes);
        }
        return batch;
    }

    private Object bucketOf(I input) {
        return tuning.bucket() == null ? null : tuning.bucket().apply(input);
    }

    private void run(BatchRunner<I, O> runner, List<Request<I, O>> batch) {
        long start = System.nanoTime();
        long queued = start - batch.get(0).enqueuedNanos;
        List<I> inputs = new ArrayList<>(batch.size());
        batch.forEach(r -> inputs.add(r.input));
        try {
            List<O> outputs = runner.run(inputs);
            if (outputs.size() != inputs.size()) {
                throw new IllegalStateException(
                        "model " + model + " returned " + outputs.size() + " outputs for " + inputs.size() + " inputs");
            }
            observer.batch(model, batch.size(), queued, System.nanoTime() - start, false);
            countElements(inputs);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).future.complete(outputs.get(i));
            }
        } catch (Exception e) {
            observer.batch(model, batch.size(), queued, System.nanoTime() - start, true);
            if (batch.size() == 1) {
                batch.get(0).future.completeExceptionally(e);
                return;
            }
            LOG.warnf("batch of %d for %s failed (%s); retrying item by item", batch.size(), model, e.getMessage());
            for (Request<I, O> r : batch) {
                run(runner, List.of(r));
            }
        }
    }

    /**
     * Reports the call's real and called input elements, from the items' shapes as the bucket gives
     * them (a list of dimensions); nothing when a shape is not known.
     */
    private void countElements(List<I> inputs) {
        long real = 0;
        long largest = 0;
        for (I in : inputs) {
            long n = elementsOf(bucketOf(in));
            if (n <= 0) {
                return;
            }
            real += n;
            largest = Math.max(largest, n);
        }
        observer.elements(model, real, largest * inputs.size());
    }

    /** Elements of a shape given as a list of dimensions; 0 for anything else. */
    static long elementsOf(Object shape) {
        if (!(shape instanceof List<?> dims) || dims.isEmpty()) {
            return 0;
        }
        long n = 1;
        for (Object d : dims) {
            if (!(d instanceof Number x)) {
                return 0;
            }
            n *= x.longValue();
        }
        return n;
    }

    /** Stops taking items, lets the current batch finish, fails what is still queued. */
    @Override
    public void close() {
        running = false;
        awaitQuietly(mainLoop);
    }

    /** Waits up to 30 s for an inference loop to end; how it ended was handled by the loop itself. */
    private static void awaitQuietly(CompletableFuture<Void> loop) {
        try {
            loop.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the loop logged its own failure; a loop still running after 30 s is left to finish its batch
        }
    }

    private static final class Request<I, O> implements Comparable<Request<I, O>> {
        final I input;
        final int priority;
        final long seq;
        final long enqueuedNanos;
        final CompletableFuture<O> future = new CompletableFuture<>();

        Request(I input, int priority, long seq, long enqueuedNanos) {
            this.input = input;
            this.priority = priority;
            this.seq = seq;
            this.enqueuedNanos = enqueuedNanos;
        }

        @Override
        public int compareTo(Request<I, O> o) {
            int byPriority = Integer.compare(o.priority, priority);
            return byPriority != 0 ? byPriority : Long.compare(seq, o.seq);
        }
    }
}
