package io.imageworker.intake;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * Consumes job events on one thread and hands each to the {@link Handler}, many jobs at a time.
 *
 * <ul>
 *   <li>Backpressure: a record is dispatched only when a job slot is free and the handler has room
 *       for more items; otherwise it waits here and every assigned partition is paused (the
 *       consumer keeps polling, so it stays in its group). Nothing is dropped.
 *   <li>Commits: a record's offset is committed only after its handler's future completes, that is
 *       after the terminal result (or dead-letter record) was acknowledged by the broker.
 *   <li>Failures: a record whose handling throws or whose future fails is retried with backoff, the
 *       offset uncommitted meanwhile; {@link FailurePolicy} bounds the deterministic failures, after
 *       which the record goes to the dead-letter topic and the partition moves on.
 *   <li>Crashes: the offsets' commit metadata remembers what was in flight ({@link CrashLedger}).
 *       After a worker died, the records it may have been serving run one at a time, and one that
 *       kills a worker {@code maxTries} times alone goes to the dead-letter topic instead.
 *   <li>Revocation and shutdown: jobs in flight get {@code grace} to finish and be committed; what is
 *       still running after that is handed back uncommitted and redelivered to the next owner.
 * </ul>
 */
public final class JobConsumer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobConsumer.class);

    /** Serves job events. */
    public interface Handler {

        /** Serves one job event; the stage completes once its terminal event is acknowledged. */
        CompletionStage<Void> handle(JobEnvelope record, int delivery);

        /**
         * Dead-letters a record that is not tried again (it took a worker down, or its handling kept
         * failing), with {@code reason}; completes when acknowledged.
         */
        CompletionStage<Void> exhausted(JobEnvelope record, String reason);

        /** False while the pipeline has no room for another job's items. */
        boolean hasCapacity();
    }

    /** A record's handling (or, with {@code deadLetter}, its dead-lettering) ended, with {@code error} when it failed. */
    private record Finished(TopicPartition tp, long offset, Throwable error, ConsumerRecord<byte[], byte[]> record,
            boolean deadLetter) {}

    /** A step to try again once {@code dueNanos} is reached: handling, or dead-lettering with {@code reason}. */
    private record Retry(ConsumerRecord<byte[], byte[]> record, long dueNanos, int delivery, String reason) {}

    /** What this consumer knows of one assigned partition. */
    private static final class PartitionState {
        CrashLedger ledger = CrashLedger.NONE;
        /** One past the highest offset this consumer has recorded as dispatched in a commit. */
        long recordedUpTo = -1;
        long committedOffset = -1;
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Handler handler;
    private final int maxInFlightJobs;
    private final int maxTries;
    private final Duration commitInterval;
    private final Duration grace;
    private final OffsetTracker tracker = new OffsetTracker();
    private final FailurePolicy failures;
    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    private final Deque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
    private final List<Retry> retries = new ArrayList<>();
    private final Map<String, Integer> deliveries = new HashMap<>();
    /** Reason of each dead letter in flight, by record key, to retry it with. */
    private final Map<String, String> pendingReasons = new HashMap<>();
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean paused;
    /** The suspect running alone (topic-partition@offset), or null. */
    private String isolating;
    private long lastCommitNanos = System.nanoTime();

    /**
     * @param kafka client properties (bootstrap servers, security ...)
     * @param maxTries times a record that may have crashed a worker is tried alone before it is dead-lettered
     * @param maxAttempts deterministic handling failures of a record before it is dead-lettered (see {@link FailurePolicy})
     */
    public JobConsumer(Map<String, Object> kafka, String topic, String groupId, int maxInFlightJobs, int maxTries,
            int maxAttempts, Duration commitInterval, Duration grace, Handler handler) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "image-worker-jobs");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.handler = handler;
        this.maxInFlightJobs = maxInFlightJobs;
        this.maxTries = maxTries;
        this.failures = new FailurePolicy(maxAttempts);
        this.commitInterval = commitInterval;
        this.grace = grace;
        this.thread = new Thread(this::loop, "job-consumer");
    }

    /** The underlying client, for metrics binding only. */
    public KafkaConsumer<byte[], byte[]> client() {
        return consumer;
    }

    /**
     * Starts the consumer thread ({@code job-consumer}), which subscribes to the jobs topic and
     * polls until stopped; returns at once. Call it once only.
     */
    public void start() {
        thread.start();
    }

    /** True while intake is holding records back because the pipeline is full. */
    public boolean paused() {
        return paused;
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (!stopping) {
                step(Duration.ofMillis(100));
            }
            drain();
        } catch (WakeupException e) {
            if (!stopping) {
                LOG.error("job consumer woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("job consumer failed; no more jobs are taken", e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("closing the job consumer failed", e);
            }
            stopped.countDown();
        }
    }

    private void step(Duration pollTimeout) {
        collectFinished();
        dispatch();
        updatePause();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(pollTimeout)) {
            pending.add(r);
        }
        dispatch();
        updatePause();
        collectFinished();
        if (System.nanoTime() - lastCommitNanos >= commitInterval.toNanos()) {
            commit(false);
        }
    }

    private void dispatch() {
        long now = System.nanoTime();
        for (Iterator<Retry> it = retries.iterator(); it.hasNext(); ) {
            Retry r = it.next();
            if (r.dueNanos <= now) {
                it.remove();
                if (r.reason == null) {
                    start(r.record, r.delivery);
                } else {
                    deadLetter(r.record, r.reason);
                }
            }
        }
        while (!pending.isEmpty() && isolating == null) {
            ConsumerRecord<byte[], byte[]> r = pending.peek();
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            PartitionState st = state(tp);
            if (st.ledger.isSuspect(r.offset())) {
                if (tracker.inFlight() > 0) {
                    return; // a suspect runs alone
                }
                pending.poll();
                tracker.dispatched(tp, r.offset());
                int tries = st.ledger.triesOf(r.offset()) + 1;
                if (tries > maxTries) {
                    LOG.errorf("job at %s offset %d took a worker down %d times: dead-lettering it", tp, r.offset(), tries - 1);
                    deadLetter(r, "the worker stopped without finishing this job " + tries + " times (it was tried alone "
                            + (tries - 1) + " times after the first); it is not tried again");
                    continue;
                }
                st.ledger = new CrashLedger(st.ledger.upTo(), r.offset(), tries);
                commitNow(tp, r.offset(), st.ledger);
                isolating = key(tp, r.offset());
                LOG.warnf("job at %s offset %d may have taken a worker down: running it alone (try %d of %d)", tp,
                        r.offset(), tries, maxTries);
                start(r, tries + 1);
                return;
            }
            if (tracker.inFlight() >= maxInFlightJobs || !handler.hasCapacity()) {
                return;
            }
            if (r.offset() >= st.recordedUpTo) {
                recordUpTo(tp, st);
            }
            pending.poll();
            tracker.dispatched(tp, r.offset());
            start(r, 1);
        }
    }

    /** Commits, before starting them, that everything pending for {@code tp} is about to be in flight. */
    private void recordUpTo(TopicPartition tp, PartitionState st) {
        long first = Long.MAX_VALUE;
        long last = -1;
        for (ConsumerRecord<byte[], byte[]> p : pending) {
            if (p.partition() == tp.partition() && p.topic().equals(tp.topic())) {
                first = Math.min(first, p.offset());
                last = Math.max(last, p.offset());
            }
        }
        // Headroom of a full pipeline's worth of records: one commit covers many polls. After a crash the
        // records in the headroom that never started are merely run one at a time, never blamed.
        st.recordedUpTo = last + 1 + maxInFlightJobs;
        CrashLedger ledger = new CrashLedger(st.recordedUpTo, -1, 0);
        commitNow(tp, tracker.safeOffset(tp, first), ledger);
    }

    private void commitNow(TopicPartition tp, long offset, CrashLedger ledger) {
        consumer.commitSync(Map.of(tp, new OffsetAndMetadata(offset, ledger.format())), Duration.ofSeconds(10));
        state(tp).committedOffset = offset;
        tracker.committed(Map.of(tp, offset));
    }

    private void start(ConsumerRecord<byte[], byte[]> r, int delivery) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        deliveries.put(key(tp, r.offset()), delivery);
        CompletionStage<Void> done;
        try {
            done = handler.handle(JobEnvelope.of(r), delivery);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            // Thrown before the handler had a future: the same bounded retries as a failed one.
            finished.add(new Finished(tp, r.offset(), e, r, false));
            return;
        }
        watch(tp, r, done, false);
    }

    /** Sends {@code r} to the dead-letter topic; its failures are bounded like handling's. */
    private void deadLetter(ConsumerRecord<byte[], byte[]> r, String reason) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        pendingReasons.put(key(tp, r.offset()), reason);
        CompletionStage<Void> done;
        try {
            done = handler.exhausted(JobEnvelope.of(r), reason);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            finished.add(new Finished(tp, r.offset(), e, r, true));
            return;
        }
        watch(tp, r, done, true);
    }

    private void watch(TopicPartition tp, ConsumerRecord<byte[], byte[]> r, CompletionStage<Void> done, boolean deadLetter) {
        done.whenComplete((v, error) -> finished.add(new Finished(tp, r.offset(), error, r, deadLetter)));
    }

    private void collectFinished() {
        for (Finished f; (f = finished.poll()) != null; ) {
            String key = key(f.tp, f.offset);
            if (f.error == null) {
                done(f.tp, f.offset);
            } else if (!consumer.assignment().contains(f.tp)) {
                // revoked meanwhile: the new owner redelivers it
                deliveries.remove(key);
                pendingReasons.remove(key);
                failures.forget(key);
            } else if (f.deadLetter) {
                String reason = pendingReasons.get(key);
                FailurePolicy.Decision d = failures.deadLetterFailed(key, f.error);
                if (d.next() == FailurePolicy.Next.SKIP) {
                    LOG.errorf(f.error, "job at %s offset %d: %s", f.tp, f.offset, d.reason());
                    done(f.tp, f.offset);
                } else {
                    LOG.warnf(f.error, "job at %s offset %d could not be dead-lettered; retrying in %d ms", f.tp, f.offset,
                            d.backoffMs());
                    retries.add(new Retry(f.record, System.nanoTime() + d.backoffMs() * 1_000_000, -1, reason));
                }
            } else {
                int delivery = deliveries.getOrDefault(key, 1) + 1;
                FailurePolicy.Decision d = failures.handlingFailed(key, f.error);
                if (d.next() == FailurePolicy.Next.DEAD_LETTER) {
                    LOG.errorf(f.error, "job at %s offset %d: %s; dead-lettering it", f.tp, f.offset, d.reason());
                    deadLetter(f.record, d.reason());
                } else {
                    LOG.warnf(f.error, "job at %s offset %d could not be finished (attempt %d, %s); retrying in %d ms",
                            f.tp, f.offset, delivery - 1, d.attempts() == 0 ? "transient" : d.attempts() + " failed",
                            d.backoffMs());
                    retries.add(new Retry(f.record, System.nanoTime() + d.backoffMs() * 1_000_000, delivery, null));
                }
            }
        }
    }

    /** The record's terminal event is acknowledged (or it was skipped): its offset may be committed. */
    private void done(TopicPartition tp, long offset) {
        String key = key(tp, offset);
        tracker.finished(tp, offset);
        deliveries.remove(key);
        pendingReasons.remove(key);
        failures.forget(key);
        if (key.equals(isolating)) {
            isolating = null;
        }
    }

    private void updatePause() {
        Set<TopicPartition> assigned = consumer.assignment();
        boolean full = !pending.isEmpty();
        if (full && !paused) {
            consumer.pause(assigned);
            paused = true;
            LOG.debugf("pipeline full: paused %d partitions with %d records waiting", assigned.size(), pending.size());
        } else if (!full && paused) {
            consumer.resume(consumer.paused());
            paused = false;
        } else if (full) {
            consumer.pause(assigned); // partitions assigned while paused
        }
    }

    /** Commits what is done; the metadata keeps each partition's crash ledger. */
    private void commit(boolean sync) {
        Map<TopicPartition, Long> safe = tracker.committable();
        lastCommitNanos = System.nanoTime();
        safe.keySet().retainAll(consumer.assignment());
        if (safe.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        safe.forEach((tp, off) -> offsets.put(tp, new OffsetAndMetadata(off, ledgerAt(tp, off).format())));
        if (sync) {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
            tracker.committed(safe);
        } else {
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error == null) {
                    tracker.committed(safe);
                } else {
                    LOG.warnf("commit of %s failed (%s); it is retried", offsets, error.getMessage());
                }
            });
        }
    }

    /** The ledger to commit with offset {@code off}: the recorded high-water mark, and the suspect while it runs. */
    private CrashLedger ledgerAt(TopicPartition tp, long off) {
        PartitionState st = state(tp);
        if (st.ledger.suspect() == off && key(tp, off).equals(isolating)) {
            return st.ledger;
        }
        return new CrashLedger(Math.max(st.recordedUpTo, st.ledger.upTo()), -1, 0);
    }

    /** A graceful hand-over: nothing crashed, so the next owner has no suspects. */
    private void handOver(Collection<TopicPartition> parts) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : parts) {
            PartitionState st = partitions.get(tp);
            long off = tracker.safeOffset(tp, st == null ? -1 : st.committedOffset);
            if (off >= 0) {
                offsets.put(tp, new OffsetAndMetadata(off, CrashLedger.NONE.format()));
            }
        }
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
        }
    }

    /** Shutdown: take nothing new, give jobs in flight the grace period, commit, leave the group. */
    private void drain() {
        pending.clear();
        retries.clear();
        consumer.pause(consumer.assignment());
        long deadline = System.nanoTime() + grace.toNanos();
        while (tracker.inFlight() > 0 && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(50));
            collectFinished();
            retries.clear();
        }
        if (tracker.inFlight() > 0) {
            LOG.warnf("%d jobs still running after the %s grace period: handed back uncommitted", tracker.inFlight(), grace);
        }
        try {
            handOver(consumer.assignment());
        } catch (RuntimeException e) {
            LOG.warn("final commit failed; the jobs since the last commit will be redelivered", e);
        }
    }

    /** Stops consuming: jobs in flight get the grace period, then the consumer leaves its group. */
    @Override
    public void close() {
        stopping = true;
        if (thread.isAlive()) {
            try {
                if (!stopped.await(grace.toMillis() + 15_000, TimeUnit.MILLISECONDS)) {
                    consumer.wakeup();
                    stopped.await(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private PartitionState state(TopicPartition tp) {
        return partitions.computeIfAbsent(tp, k -> new PartitionState());
    }

    private static String key(TopicPartition tp, long offset) {
        return tp + "@" + offset;
    }

    private void forget(Collection<TopicPartition> parts) {
        pending.removeIf(r -> parts.contains(new TopicPartition(r.topic(), r.partition())));
        retries.removeIf(r -> parts.contains(new TopicPartition(r.record.topic(), r.record.partition())));
        for (TopicPartition tp : parts) {
            tracker.forget(tp);
            partitions.remove(tp);
            if (isolating != null && isolating.startsWith(tp + "@")) {
                isolating = null;
            }
            String prefix = tp + "@";
            pendingReasons.keySet().removeIf(k -> k.startsWith(prefix));
            deliveries.keySet().removeIf(k -> k.startsWith(prefix));
            failures.forgetPartition(prefix);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (revoked.isEmpty()) {
                return;
            }
            pending.removeIf(r -> revoked.contains(new TopicPartition(r.topic(), r.partition())));
            retries.removeIf(r -> revoked.contains(new TopicPartition(r.record.topic(), r.record.partition())));
            long deadline = System.nanoTime() + grace.toNanos();
            while (revoked.stream().anyMatch(tp -> tracker.inFlight(tp) > 0) && System.nanoTime() < deadline) {
                collectFinished();
                retries.removeIf(r -> revoked.contains(new TopicPartition(r.record.topic(), r.record.partition())));
                sleep(20);
            }
            try {
                handOver(revoked);
            } catch (RuntimeException e) {
                LOG.warnf("commit on revocation of %s failed (%s): those jobs will be redelivered", revoked, e.getMessage());
            }
            forget(revoked);
            LOG.infof("partitions revoked: %s", revoked);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (assigned.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(assigned), Duration.ofSeconds(30));
            for (TopicPartition tp : assigned) {
                PartitionState st = state(tp);
                OffsetAndMetadata om = committed.get(tp);
                if (om != null) {
                    st.ledger = CrashLedger.parse(om.metadata());
                    st.recordedUpTo = st.ledger.upTo();
                    st.committedOffset = om.offset();
                    if (st.ledger.isSuspect(om.offset())) {
                        LOG.warnf("%s: offsets %d to %d were in flight when a worker stopped without handing them over",
                                tp, om.offset(), st.ledger.upTo() - 1);
                    }
                }
            }
            LOG.infof("partitions assigned: %s", assigned);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            forget(lost);
            LOG.warnf("partitions lost: %s (their jobs in flight will be redelivered)", lost);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
