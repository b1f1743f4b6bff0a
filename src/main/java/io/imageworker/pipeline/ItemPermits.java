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

    public ItemPermits(int capacity) {
        this.capacity = capacity;
        this.available = capacity;
    }

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

    public synchronized int inUse() {
        return capacity - available;
    }

    public int capacity() {
        return capacity;
    }
}
