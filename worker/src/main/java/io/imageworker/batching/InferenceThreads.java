package io.imageworker.batching;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that inference loops run on, shared by every batcher of the process and kept for its
 * life: a loop takes an idle thread (a new one only when none is idle) and gives it back when it
 * ends, so the threads number at most the loops that ever ran at once.
 *
 * <p>Why not a thread per loop: the native engine keeps state per calling thread that is not given
 * back when the thread ends (which library holds it was not pinned down; disabling oneDNN did not
 * change it). Measured once with {@code mnist-cnn-bn}: 25 load-infer-close cycles on a new thread
 * each grew the process's anonymous memory from 146 to 309 MiB, on one reused thread from 111 to
 * 161 MiB (after {@code malloc_trim}); with a thread of its own per batcher, each live model update
 * kept about 6 MiB. {@code ModelUpdateTest} holds the process's native memory flat over 20 updates.
 */
final class InferenceThreads {

    private static final AtomicInteger CREATED = new AtomicInteger();

    private static final ExecutorService POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 365, TimeUnit.DAYS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "infer-idle-" + CREATED.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    private InferenceThreads() {}

    /**
     * Runs {@code loop} on an idle inference thread, named {@code name} while it runs.
     *
     * @return completes when {@code loop} returns or throws (exceptionally then)
     */
    static CompletableFuture<Void> run(String name, Runnable loop) {
        return CompletableFuture.runAsync(() -> {
            Thread current = Thread.currentThread();
            String idle = current.getName();
            current.setName(name);
            try {
                loop.run();
            } finally {
                Thread.interrupted(); // an interrupt meant for this loop must not reach the next one
                current.setName(idle);
            }
        }, POOL);
    }

    /** Threads created so far (the pool never lets one go). */
    static int created() {
        return CREATED.get();
    }
}
