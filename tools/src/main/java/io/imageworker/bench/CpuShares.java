package io.imageworker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time of the processes that share this machine during one measure (worker, S3 server,
 * broker, the bench itself): on a machine where all of them compete for a few cores, this says
 * where the cores went, which a profile of the worker alone cannot.
 */
final class CpuShares {

    private final Map<String, Long> pids;
    private final Map<String, Duration> start = new LinkedHashMap<>();
    private final long t0 = System.nanoTime();

    private CpuShares(Map<String, Long> pids) {
        this.pids = pids;
        pids.forEach((name, pid) -> start.put(name, cpu(pid).orElse(Duration.ZERO)));
    }

    /**
     * Starts counting for the worker, this process, and the local stack's broker and S3 server
     * when their pid files are in {@code localDir} (the stack of deploy/local; absent elsewhere).
     */
    static CpuShares start(long workerPid, Path localDir) {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("worker", workerPid);
        if (localDir != null) {
            pidFile(localDir.resolve("s3").resolve("pid")).ifPresent(p -> pids.put("S3 server", p));
            pidFile(localDir.resolve("kafka").resolve("pid")).ifPresent(p -> pids.put("broker", p));
        }
        pids.put("bench (producer, consumer)", ProcessHandle.current().pid());
        return new CpuShares(pids);
    }

    /** Milliseconds of CPU per image by process since {@link #start}, and how busy all cores were. */
    String perImage(int images) {
        double wallS = (System.nanoTime() - t0) / 1e9;
        StringBuilder out = new StringBuilder();
        double total = 0;
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            Optional<Duration> now = cpu(e.getValue());
            if (now.isEmpty()) {
                continue;
            }
            double ms = now.get().minus(start.get(e.getKey())).toNanos() / 1e6;
            total += ms;
            out.append(out.isEmpty() ? "" : ", ").append(e.getKey()).append(String.format(" %.2f ms", ms / images));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return out + String.format("; %.0f%% of %d cores busy with these", 100 * total / 1000 / (wallS * cores), cores);
    }

    /** Milliseconds of CPU per image of one process ({@code name} as in {@link #start}) since {@link #start}; NaN if gone. */
    double msPerImage(String name, int images) {
        Long pid = pids.get(name);
        Optional<Duration> now = pid == null ? Optional.empty() : cpu(pid);
        return now.map(d -> d.minus(start.get(name)).toNanos() / 1e6 / images).orElse(Double.NaN);
    }

    private static Optional<Duration> cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration());
    }

    private static Optional<Long> pidFile(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
