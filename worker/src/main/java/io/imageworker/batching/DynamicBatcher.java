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
    private final BatchTuning tuning;
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
        this(model, maxBatchSize, maxQueueDelay, runnerFactory, observer, warmUpSample, BatchTuning.FIXED);
    }

    /**
     * As above, with {@code tuning}: when it says measure, the warm-up times batch sizes 1, 2, 4 ...
     * up to {@code maxBatchSize} and then 2 ... {@code maxThreads} inference threads on the sample,
     * keeps the best (reported to the observer and logged), and warms every batch size up to the
     * one kept.
     */
    public DynamicBatcher(String model, int maxBatchSize, java.time.Duration maxQueueDelay,
            Supplier<BatchRunner<I, O>> runnerFactory, BatchObserver observer, I warmUpSample, BatchTuning tuning) {
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
            WarmUpSearch.warmSizes(runner, sample, maxBatchSize, () -> running);
            LOG.infof("%s warmed up at batch sizes 1 to %d in %d ms", model, maxBatchSize, (System.nanoTime() - t0) / 1_000_000);
        } catch (Exception e) {
            warmed.completeExceptionally(e);
        }
    }

    /** The warm-up search, or the choice kept from an earlier start; serves what it returns. */
    private void tune(BatchRunner<I, O> runner, Supplier<BatchRunner<I, O>> runnerFactory, I sample, long base) {
        try {
            WarmUpSearch<I, O> search = new WarmUpSearch<>(model, maxBatchCap, tuning, () -> running);
            java.util.Optional<Choice> kept = search.reuse(runner, sample);
            Choice choice = kept.isPresent() ? kept.get() : search.measure(runner, runnerFactory, sample, base);
            maxBatchSize = choice.batchSize();
            threads = choice.threads();
            observer.tuned(model, choice);
            if (kept.isEmpty() && tuning.remembered() != null) {
                try {
                    tuning.remembered().save(choice);
                } catch (java.io.IOException | RuntimeException e) {
                    LOG.warnf("%s: warm-up choice not kept in %s (%s); the next start measures again", model,
                            tuning.remembered().file(), e.toString());
                }
            }
        } catch (Exception e) {
            warmed.completeExceptionally(e);
        }
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
