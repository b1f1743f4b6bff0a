package io.imageworker.intake;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Commit tracking of the job consumer: per assigned partition, which offsets are in flight
 * ({@link OffsetTracker}), what the last commit said ({@link CrashLedger} in its metadata), and
 * the commits themselves: the periodic one of finished jobs, the one that records what is about
 * to start, and the hand-over on revocation or shutdown. Not thread-safe: the consumer thread owns it.
 */
final class PartitionCommits {

    private static final Logger LOG = Logger.getLogger(PartitionCommits.class);

    /** The consumer operations commits need; the job consumer adapts its Kafka client. */
    interface Client {
        /** Commits and waits for the broker's answer. */
        void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets);

        /** Commits without waiting; {@code done} hears the error, or null. */
        void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, BiConsumer<Map<TopicPartition, OffsetAndMetadata>, Exception> done);

        /** The partitions assigned now. */
        Set<TopicPartition> assignment();
    }

    /** What this consumer knows of one assigned partition. */
    private static final class State {
        CrashLedger ledger = CrashLedger.NONE;
        /** One past the highest offset this consumer has recorded as dispatched in a commit. */
        long recordedUpTo = -1;
        long committedOffset = -1;
    }

    private final Client client;
    private final int headroom;
    private final OffsetTracker tracker = new OffsetTracker();
    private final Map<TopicPartition, State> partitions = new HashMap<>();

    /**
     * @param headroom records recorded beyond the last pending one (a full pipeline's worth), so one
     *     recording commit covers many polls
     */
    PartitionCommits(Client client, int headroom) {
        this.client = client;
        this.headroom = headroom;
    }

    /** Jobs in flight on all partitions. */
    int inFlight() {
        return tracker.inFlight();
    }

    /** Jobs in flight on {@code tp}. */
    int inFlight(TopicPartition tp) {
        return tracker.inFlight(tp);
    }

    /** The crash ledger {@code tp}'s committed offset came with (or the last one this consumer wrote). */
    CrashLedger ledger(TopicPartition tp) {
        return state(tp).ledger;
    }

    /** True when {@code offset} on {@code tp} lies beyond what the last recording commit covered. */
    boolean needsRecording(TopicPartition tp, long offset) {
        return offset >= state(tp).recordedUpTo;
    }

    /** The record at {@code offset} is about to start. */
    void dispatched(TopicPartition tp, long offset) {
        tracker.dispatched(tp, offset);
    }

    /** The record at {@code offset} ended (its terminal event acknowledged, or skipped). */
    void finished(TopicPartition tp, long offset) {
        tracker.finished(tp, offset);
    }

    /**
     * Commits, before starting them, that the pending records {@code first}..{@code last} of {@code tp}
     * (and {@link #headroom} more) are about to be in flight: after a crash the next owner runs them
     * one at a time. Records in the headroom that never started are merely run alone, never blamed.
     */
    void recordUpTo(TopicPartition tp, long first, long last) {
        State st = state(tp);
        st.recordedUpTo = last + 1 + headroom;
        commitNow(tp, tracker.safeOffset(tp, first), new CrashLedger(st.recordedUpTo, -1, 0));
    }

    /** Commits, before it runs alone, that the suspect at {@code offset} is on its try {@code tries}. */
    void recordSuspect(TopicPartition tp, long offset, int tries) {
        State st = state(tp);
        st.ledger = new CrashLedger(st.ledger.upTo(), offset, tries);
        commitNow(tp, offset, st.ledger);
    }

    private void commitNow(TopicPartition tp, long offset, CrashLedger ledger) {
        client.commitSync(Map.of(tp, new OffsetAndMetadata(offset, ledger.format())));
        state(tp).committedOffset = offset;
        tracker.committed(Map.of(tp, offset));
    }

    /**
     * Commits what is done on the assigned partitions; the metadata keeps each partition's ledger.
     *
     * @param isolating the suspect running alone ({@code tp@offset} as {@link JobConsumer} keys it), or null:
     *     while it runs, its partition's commit keeps naming it
     */
    void commitFinished(boolean sync, String isolating) {
        Map<TopicPartition, Long> safe = tracker.committable();
        safe.keySet().retainAll(client.assignment());
        if (safe.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        safe.forEach((tp, off) -> offsets.put(tp, new OffsetAndMetadata(off, ledgerAt(tp, off, isolating).format())));
        if (sync) {
            client.commitSync(offsets);
            tracker.committed(safe);
        } else {
            client.commitAsync(offsets, (committed, error) -> {
                if (error == null) {
                    tracker.committed(safe);
                } else {
                    LOG.warnf("commit of %s failed (%s); it is retried", offsets, error.getMessage());
                }
            });
        }
    }

    /** The ledger to commit with offset {@code off}: the recorded high-water mark, and the suspect while it runs. */
    private CrashLedger ledgerAt(TopicPartition tp, long off, String isolating) {
        State st = state(tp);
        if (st.ledger.suspect() == off && (tp + "@" + off).equals(isolating)) {
            return st.ledger;
        }
        return new CrashLedger(Math.max(st.recordedUpTo, st.ledger.upTo()), -1, 0);
    }

    /** A graceful hand-over of {@code parts}: nothing crashed, so the next owner has no suspects. */
    void handOver(Collection<TopicPartition> parts) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : parts) {
            State st = partitions.get(tp);
            long off = tracker.safeOffset(tp, st == null ? -1 : st.committedOffset);
            if (off >= 0) {
                offsets.put(tp, new OffsetAndMetadata(off, CrashLedger.NONE.format()));
            }
        }
        if (!offsets.isEmpty()) {
            client.commitSync(offsets);
        }
    }

    /** {@code tp} was assigned with {@code committed} (null when the group never committed it). */
    void assigned(TopicPartition tp, OffsetAndMetadata committed) {
        State st = state(tp);
        if (committed != null) {
            st.ledger = CrashLedger.parse(committed.metadata());
            st.recordedUpTo = st.ledger.upTo();
            st.committedOffset = committed.offset();
            if (st.ledger.isSuspect(committed.offset())) {
                LOG.warnf("%s: offsets %d to %d were in flight when a worker stopped without handing them over",
                        tp, committed.offset(), st.ledger.upTo() - 1);
            }
        }
    }

    /** {@code parts} are no longer ours: forget what was known of them. */
    void forget(Collection<TopicPartition> parts) {
        for (TopicPartition tp : parts) {
            tracker.forget(tp);
            partitions.remove(tp);
        }
    }

    private State state(TopicPartition tp) {
        return partitions.computeIfAbsent(tp, k -> new State());
    }
}
