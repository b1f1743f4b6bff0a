package io.imageworker.intake;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets are safe to commit when jobs finish out of order: per partition, everything below
 * the oldest job still in flight. A job's offset is committed only once its terminal event has
 * been acknowledged, so a crash loses nothing; it may redeliver jobs that had finished after the
 * oldest unfinished one (consumers dedupe results by job id).
 *
 * <p>Used only from the consumer's poll thread.
 */
final class OffsetTracker {

    private static final class Partition {
        final TreeSet<Long> inFlight = new TreeSet<>();
        long nextOffset = -1; // one past the highest dispatched offset
        long committed = -1;
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    void dispatched(TopicPartition tp, long offset) {
        Partition p = partitions.computeIfAbsent(tp, k -> new Partition());
        p.inFlight.add(offset);
        p.nextOffset = Math.max(p.nextOffset, offset + 1);
    }

    void finished(TopicPartition tp, long offset) {
        Partition p = partitions.get(tp);
        if (p != null) {
            p.inFlight.remove(offset);
        }
    }

    /** Offsets to commit now (only partitions that moved since the last commit). */
    Map<TopicPartition, Long> committable() {
        Map<TopicPartition, Long> out = new HashMap<>();
        partitions.forEach((tp, p) -> {
            long safe = p.inFlight.isEmpty() ? p.nextOffset : p.inFlight.first();
            if (safe > p.committed) {
                out.put(tp, safe);
            }
        });
        return out;
    }

    void committed(Map<TopicPartition, Long> offsets) {
        offsets.forEach((tp, off) -> {
            Partition p = partitions.get(tp);
            if (p != null) {
                p.committed = Math.max(p.committed, off);
            }
        });
    }

    /** The offset up to which everything of {@code tp} is done, or {@code fallback} when nothing was dispatched. */
    long safeOffset(TopicPartition tp, long fallback) {
        Partition p = partitions.get(tp);
        if (p == null || p.nextOffset < 0) {
            return fallback;
        }
        return p.inFlight.isEmpty() ? p.nextOffset : p.inFlight.first();
    }

    int inFlight(TopicPartition tp) {
        Partition p = partitions.get(tp);
        return p == null ? 0 : p.inFlight.size();
    }

    int inFlight() {
        return partitions.values().stream().mapToInt(p -> p.inFlight.size()).sum();
    }

    void forget(TopicPartition tp) {
        partitions.remove(tp);
    }
}
