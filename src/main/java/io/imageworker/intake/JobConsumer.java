package io.imageworker.intake;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
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
 *   <li>A handler future that fails (the broker refused the result, say) is retried with backoff;
 *       the offset stays uncommitted meanwhile.
 *   <li>Revocation and shutdown: jobs in flight get {@code grace} to finish and be committed; what is
 *       still running after that is handed back uncommitted and redelivered to the next owner.
 * </ul>
 */
public final class JobConsumer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobConsumer.class);

    /** Serves one job event; the stage completes once its terminal event is acknowledged. */
    public interface Handler {
        CompletionStage<Void> handle(ConsumerRecord<byte[], byte[]> record, int delivery);

        /** False while the pipeline has no room for another job's items. */
        boolean hasCapacity();
    }

    private record Finished(TopicPartition tp, long offset, Throwable error, ConsumerRecord<byte[], byte[]> record) {}

    private record Retry(ConsumerRecord<byte[], byte[]> record, long dueNanos, int delivery) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Handler handler;
    private final int maxInFlightJobs;
    private final Duration commitInterval;
    private final Duration grace;
    private final OffsetTracker tracker = new OffsetTracker();
    private final Deque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
    private final List<Retry> retries = new java.util.ArrayList<>();
    private final Map<String, Integer> deliveries = new HashMap<>();
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean paused;
    private long lastCommitNanos = System.nanoTime();

    /**
     * @param kafka client properties (bootstrap servers, security ...)
     */
    public JobConsumer(Map<String, Object> kafka, String topic, String groupId, int maxInFlightJobs,
            Duration commitInterval, Duration grace, Handler handler) {
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
        this.commitInterval = commitInterval;
        this.grace = grace;
        this.thread = new Thread(this::loop, "job-consumer");
    }

    /** The underlying client, for metrics binding only. */
    public KafkaConsumer<byte[], byte[]> client() {
        return consumer;
    }

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
                start(r.record, r.delivery);
            }
        }
        while (!pending.isEmpty() && tracker.inFlight() < maxInFlightJobs && handler.hasCapacity()) {
            ConsumerRecord<byte[], byte[]> r = pending.poll();
            tracker.dispatched(new TopicPartition(r.topic(), r.partition()), r.offset());
            start(r, 1);
        }
    }

    private void start(ConsumerRecord<byte[], byte[]> r, int delivery) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        deliveries.put(tp + "@" + r.offset(), delivery);
        CompletionStage<Void> done;
        try {
            done = handler.handle(r, delivery);
        } catch (RuntimeException e) {
            finished.add(new Finished(tp, r.offset(), e, r));
            return;
        }
        done.whenComplete((v, error) -> finished.add(new Finished(tp, r.offset(), error, r)));
    }

    private void collectFinished() {
        for (Finished f; (f = finished.poll()) != null; ) {
            String key = f.tp + "@" + f.offset;
            if (f.error == null) {
                tracker.finished(f.tp, f.offset);
                deliveries.remove(key);
            } else if (!consumer.assignment().contains(f.tp)) {
                deliveries.remove(key); // revoked meanwhile: the new owner redelivers it
            } else {
                int delivery = deliveries.getOrDefault(key, 1) + 1;
                long backoffMs = Math.min(30_000, 500L << Math.min(6, delivery - 2));
                LOG.warnf(f.error, "job at %s offset %d could not be finished (attempt %d); retrying in %d ms",
                        f.tp, f.offset, delivery - 1, backoffMs);
                retries.add(new Retry(f.record, System.nanoTime() + backoffMs * 1_000_000, delivery));
            }
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

    private void commit(boolean sync) {
        Map<TopicPartition, Long> safe = tracker.committable();
        lastCommitNanos = System.nanoTime();
        safe.keySet().retainAll(consumer.assignment());
        if (safe.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        safe.forEach((tp, off) -> offsets.put(tp, new OffsetAndMetadata(off)));
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
            commit(true);
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
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            tracker.committable().forEach((tp, off) -> {
                if (revoked.contains(tp)) {
                    offsets.put(tp, new OffsetAndMetadata(off));
                }
            });
            try {
                if (!offsets.isEmpty()) {
                    consumer.commitSync(offsets, Duration.ofSeconds(10));
                }
            } catch (RuntimeException e) {
                LOG.warnf("commit on revocation of %s failed (%s): those jobs will be redelivered", revoked, e.getMessage());
            }
            revoked.forEach(tracker::forget);
            LOG.infof("partitions revoked: %s", revoked);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (!assigned.isEmpty()) {
                LOG.infof("partitions assigned: %s", assigned);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            pending.removeIf(r -> lost.contains(new TopicPartition(r.topic(), r.partition())));
            retries.removeIf(r -> lost.contains(new TopicPartition(r.record.topic(), r.record.partition())));
            lost.forEach(tracker::forget);
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
