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
    private final int maxBatchSize;
    private final long maxDelayNanos;
    private final BatchObserver observer;
    private final PriorityBlockingQueue<Request<I, O>> queue = new PriorityBlockingQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Thread thread;
    private final CompletableFuture<Void> warmed = new CompletableFuture<>();
    private volatile boolean running = true;

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
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be at least 1, was " + maxBatchSize);
        }
        this.model = model;
        this.maxBatchSize = maxBatchSize;
        this.maxDelayNanos = maxQueueDelay.toNanos();
        this.observer = observer;
        this.thread = new Thread(() -> loop(runnerFactory, warmUpSample), "infer-" + model);
        this.thread.setDaemon(true);
        this.thread.start();
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

    /** The most items one model call takes, at least 1. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** Completes once the warm-up ran (at once without a sample); fails if it could not. */
    public CompletableFuture<Void> warmed() {
        return warmed;
    }

    private void loop(Supplier<BatchRunner<I, O>> runnerFactory, I warmUpSample) {
        try (BatchRunner<I, O> runner = runnerFactory.get()) {
            warmUp(runner, warmUpSample);
            while (running) {
                List<Request<I, O>> batch = collect();
                if (!batch.isEmpty()) {
                    observer.queueDepth(model, queue.size());
                    run(runner, batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "inference thread of %s stopped", model);
            warmed.completeExceptionally(e);
        } finally {
            running = false;
            for (Request<I, O> r; (r = queue.poll()) != null; ) {
                r.future.completeExceptionally(new BatcherClosedException(model));
            }
        }
    }

    private void warmUp(BatchRunner<I, O> runner, I sample) {
        if (sample == null) {
            warmed.complete(null);
            return;
        }
        long t0 = System.nanoTime();
        try {
            for (int size = 1; size <= maxBatchSize && running; size++) {
                runner.run(java.util.Collections.nCopies(size, sample));
            }
            LOG.infof("%s warmed up at batch sizes 1 to %d in %d ms", model, maxBatchSize, (System.nanoTime() - t0) / 1_000_000);
            warmed.complete(null);
        } catch (Exception e) {
            warmed.completeExceptionally(e);
        }
    }

    private List<Request<I, O>> collect() throws InterruptedException {
        Request<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return List.of();
        }
        List<Request<I, O>> batch = new ArrayList<>(maxBatchSize);
        batch.add(first);
        long deadline = first.enqueuedNanos + maxDelayNanos;
        while (batch.size() < maxBatchSize) {
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
            batch.add(next);
        }
        return batch;
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

    /** Stops taking items, lets the current batch finish, fails what is still queued. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
