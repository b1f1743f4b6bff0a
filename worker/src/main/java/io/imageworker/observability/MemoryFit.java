package io.imageworker.observability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Whether the worker's models fit the memory limit it runs under (a pod's cgroup limit), said at
 * start rather than learnt from the kernel's OOM killer during warm-up. Before loading, a bound:
 * the heap the JVM may grow to, what the JVM needs besides, and each preloaded model's memory budget.
 * At ready, the measured figure: RSS now, plus the heap the JVM may still grow into, with each
 * model's native footprint named. The figures are in docs/memory.md.
 */
public final class MemoryFit {

    /** What the JVM holds besides the heap and the engines (metaspace, code cache, threads, GC), measured at ready. */
    public static final long JVM_BESIDES_HEAP = 300L << 20;

    private MemoryFit() {
    }

    /**
     * The memory limit of this process's cgroup: {@code memory.max} (cgroup v2) or
     * {@code memory/memory.limit_in_bytes} (v1) under {@code root}; empty where there is none
     * ({@code max}, or v1's "unlimited" near {@code Long.MAX_VALUE}) or it cannot be read.
     *
     * @param root where cgroups are mounted ({@code /sys/fs/cgroup})
     */
    public static OptionalLong containerLimit(Path root) {
        for (Path f : new Path[] {root.resolve("memory.max"), root.resolve("memory/memory.limit_in_bytes")}) {
            try {
                if (Files.isRegularFile(f)) {
                    String v = Files.readString(f).trim();
                    if (v.equals("max")) {
                        return OptionalLong.empty();
                    }
                    long bytes = Long.parseLong(v);
                    return bytes >= (1L << 60) ? OptionalLong.empty() : OptionalLong.of(bytes);
                }
            } catch (IOException | RuntimeException unreadable) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Before the models load: the worker needs at least the heap's maximum, what the JVM holds
     * besides, and one memory budget (what a warm-up may leave held) per preloaded task. A lower
     * bound: a task's companion models (the text recognizer, the face-attribute models) are known
     * only once it loads, and {@link #atReady} counts them. A message when that passes
     * {@code limit}; empty when it fits or nothing bounds the models.
     *
     * @param models preloaded tasks, one budget each
     * @param budget {@code image-worker.batching.max-model-memory} in bytes; 0: unbounded
     */
    public static Optional<String> beforeLoading(long limit, long heapMax, int models, long budget) {
        if (budget <= 0 || models == 0) {
            return Optional.empty();
        }
        long need = heapMax + JVM_BESIDES_HEAP + models * budget;
        if (need <= limit) {
            return Optional.empty();
        }
        return Optional.of(String.format("memory limit %d MiB may be too small: heap up to %d MiB, about %d MiB for the JVM"
                + " besides, and up to %d MiB for each of %d preloaded tasks (max-model-memory) make at least %d MiB; the"
                + " models' real footprints, companions included, are checked at ready", limit >> 20, heapMax >> 20, JVM_BESIDES_HEAP >> 20, budget >> 20,
                models, need >> 20));
    }

    /**
     * At ready: RSS now plus the heap the JVM may still grow into. A message naming every model's
     * footprint, largest first, when that passes {@code limit}; empty when it fits.
     *
     * @param footprints native bytes each model's warm-up left held, by model id
     */
    public static Optional<String> atReady(long limit, long rss, long heapMax, long heapCommitted,
            Map<String, Long> footprints) {
        long heapGrowth = Math.max(0, heapMax - heapCommitted);
        if (rss + heapGrowth <= limit) {
            return Optional.empty();
        }
        String models = footprints.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .map(e -> e.getKey() + " " + (e.getValue() >> 20) + " MiB").collect(Collectors.joining(", "));
        return Optional.of(String.format("the models do not fit the memory limit of %d MiB: resident %d MiB at ready, and"
                + " the heap may grow %d MiB more; native footprints: %s. Serve fewer tasks per worker"
                + " (image-worker.models.preload), lower image-worker.batching.max-model-memory or raise the limit"
                + " (docs/memory.md)", limit >> 20, rss >> 20, heapGrowth >> 20, models.isEmpty() ? "none measured" : models));
    }
}
