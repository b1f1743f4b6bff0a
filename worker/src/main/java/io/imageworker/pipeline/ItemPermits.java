package io.imageworker.pipeline;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * Bounds the items in flight across all jobs (fetched, decoded or queued for a model) without
 * blocking threads: {@link #acquire()} returns a future that completes when a permit is free.
 * Waiters are served first come, first served, so a huge job that asks for one permit at a time
 * cannot starve the small jobs behind it.
 */
public final class ItemPermits {

    private final int capacity;
    private int available;
    private final Queue<CompletableFuture<Void>> waiters = new ArrayDeque<>();

    /**
     * @param capacity items that may be in flight at once, all free at the start
     *     ({@code image-worker.limits.max-in-flight-items}); not checked: 0 or less would never
     *     grant a permit
     */
    public ItemPermits(int capacity) {
        this.capacity = capacity;
        this.available = capacity;
    }

    /**
     * Asks for one permit: the future is already complete when one is free and nobody waits ahead;
     * otherwise it completes, in arrival order, when a {@link #release()} hands one over. Never
     * blocks.
     */
    public CompletableFuture<Void> acquire() {
        synchronized (this) {
            if (available > 0 && waiters.isEmpty()) {
                available--;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            waiters.add(f);
            return f;
        }
    }

    /**
     * Returns one permit: hands it straight to the oldest waiter (completing its future on this
     * thread, outside the lock), or makes it free. A release beyond {@code capacity} is ignored.
     */
    public void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiters.poll();
            if (next == null) {
                available = Math.min(capacity, available + 1);
                return;
            }
        }
        next.complete(null); // hand the permit over directly, outside the lock
    }

    /** True when a new job's first item would get a permit at once. */
    public synchronized boolean hasFree() {
        return available > 0 && waiters.isEmpty();
    }

    /** Permits held now, 0 to {@code capacity} (the {@code image_worker_items_in_flight} gauge). */
    public synchronized int inUse() {
        return capacity - available;
    }

    /** The most permits that can be held at once. */
    public int capacity() {
        return capacity;
    }
}
