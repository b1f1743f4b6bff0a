package io.imageworker.intake;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Consumes job events on one thread and hands each to the {@link JobHandler}, many jobs at a time.
 *
 * <ul>
 *   <li>Backpressure: a record is dispatched only when a job slot is free and the handler has room
 *       for more items; otherwise it waits here and every assigned partition is paused (the
 *       consumer keeps polling, so it stays in its group). Nothing is dropped.
 *   <li>Commits: a record's offset is committed only after its handler's future completes, that is
 *       after the terminal result (or dead-letter record) was acknowledged by the broker. With
 *       {@link TransactionalCommits} (exactly-once delivery) the handler stages its answers instead,
 *       and each commit is a transaction that produces the answers below the offsets it commits.
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

    /** A record's handling (or, with {@code deadLetter}, its dead-lettering) ended, with {@code error} when it failed. */
    private record Finished(TopicPartition tp, long offset, Throwable error, ConsumerRecord<byte[], byte[]> record,
            boolean deadLetter) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<String> topics;
    private final JobHandler handler;
    private final int maxInFlightJobs;
    private final int maxTries;
    private final Duration commitInterval;
    private final Duration grace;
    private final PartitionCommits commits;
    private final RetryQueue retries;
    private final Backpressure backpressure;
    private final Deque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    /** Exactly-once delivery's transactions, or null (at-least-once: plain offset commits). */
    private final TransactionalCommits transactions;
    private volatile boolean stopping;
    /** The suspect running alone (topic-partition@offset), or null. */
    private String isolating;
    private long lastCommitNanos = System.nanoTime();

    /**
     * @param kafka client properties (bootstrap servers, security ...)
     * @param maxTries times a record that may have crashed a worker is tried alone before it is dead-lettered
     * @param maxAttempts deterministic handling failures of a record before it is dead-lettered (see {@link FailurePolicy})
     */
    public JobConsumer(Map<String, Object> kafka, String topic, String groupId, int maxInFlightJobs, int maxTries,
            int maxAttempts, Duration commitInterval, Duration grace, JobHandler handler) {
        this(kafka, List.of(topic), groupId, maxInFlightJobs, maxTries, maxAttempts, commitInterval, grace, handler, null);
    }

    /**
     * A consumer of several topics (job events and object-storage notifications) sharing one group,
     * one set of slots and one backpressure; {@link JobEnvelope#topic()} tells the handler which.
     *
     * @param topics topics subscribed to, at least one
     * @param transactions exactly-once delivery: every offset commit goes through these transactions,
     *     with the answers of the records below it; null for at-least-once (plain offset commits)
     */
    public JobConsumer(Map<String, Object> kafka, List<String> topics, String groupId, int maxInFlightJobs, int maxTries,
            int maxAttempts, Duration commitInterval, Duration grace, JobHandler handler, TransactionalCommits transactions) {
        this.transactions = transactions;
        KafkaJobClient client = new KafkaJobClient(kafka, groupId, transactions);
        this.consumer = client.consumer();
        this.topics = List.copyOf(topics);
        this.handler = handler;
        this.maxInFlightJobs = maxInFlightJobs;
        this.maxTries = maxTries;
        this.commitInterval = commitInterval;
        this.grace = grace;
        this.commits = new PartitionCommits(client, maxInFlightJobs);
        this.retries = new RetryQueue(maxAttempts);
        this.backpressure = new Backpressure(client);
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
        return backpressure.paused();
    }

    private void loop() {
        try {
            consumer.subscribe(topics, new Rebalance());
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
        backpressure.update(pending.size());
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(pollTimeout)) {
            pending.add(r);
        }
        dispatch();
        backpressure.update(pending.size());
        collectFinished();
        if (System.nanoTime() - lastCommitNanos >= commitInterval.toNanos()) {
            lastCommitNanos = System.nanoTime();
            commits.commitFinished(false, isolating);
        }
    }

    private void dispatch() {
        for (RetryQueue.Due d : retries.due(System.nanoTime())) {
            if (d.deadLetterReason() == null) {
                start(d.record(), d.delivery());
            } else {
                deadLetter(d.record(), d.deadLetterReason());
            }
        }
        while (!pending.isEmpty() && isolating == null) {
            ConsumerRecord<byte[], byte[]> r = pending.peek();
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            CrashLedger ledger = commits.ledger(tp);
            if (ledger.isSuspect(r.offset())) {
                if (commits.inFlight() > 0) {
                    return; // a suspect runs alone
                }
                pending.poll();
                commits.dispatched(tp, r.offset());
                int tries = ledger.triesOf(r.offset()) + 1;
                if (tries > maxTries) {
                    LOG.errorf("job at %s offset %d took a worker down %d times: dead-lettering it", tp, r.offset(), tries - 1);
                    deadLetter(r, "the worker stopped without finishing this job " + tries + " times (it was tried alone "
                            + (tries - 1) + " times after the first); it is not tried again");
                    continue;
                }
                commits.recordSuspect(tp, r.offset(), tries);
                isolating = key(tp, r.offset());
                LOG.warnf("job at %s offset %d may have taken a worker down: running it alone (try %d of %d)", tp,
                        r.offset(), tries, maxTries);
                start(r, tries + 1);
                return;
            }
            if (commits.inFlight() >= maxInFlightJobs || !handler.hasCapacity()) {
                return;
            }
            if (commits.needsRecording(tp, r.offset())) {
                recordPending(tp);
            }
            pending.poll();
            commits.dispatched(tp, r.offset());
            start(r, 1);
        }
    }

    /** Records, before starting them, that everything pending for {@code tp} is about to be in flight. */
    private void recordPending(TopicPartition tp) {
        long first = Long.MAX_VALUE;
        long last = -1;
        for (ConsumerRecord<byte[], byte[]> p : pending) {
            if (p.partition() == tp.partition() && p.topic().equals(tp.topic())) {
                first = Math.min(first, p.offset());
                last = Math.max(last, p.offset());
            }
        }
        commits.recordUpTo(tp, first, last);
    }

    private void start(ConsumerRecord<byte[], byte[]> r, int delivery) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        retries.handling(key(tp, r.offset()), delivery);
        if (transactions != null) {
            transactions.attemptStarts(tp, r.offset());
        }
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
        retries.deadLettering(key(tp, r.offset()), reason);
        if (transactions != null) {
            transactions.attemptStarts(tp, r.offset());
        }
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
                retries.ended(key); // revoked meanwhile: the new owner redelivers it
            } else if (f.deadLetter) {
                FailurePolicy.Decision d = retries.deadLetterFailed(key, f.record, f.error, System.nanoTime());
                if (d.next() == FailurePolicy.Next.SKIP) {
                    LOG.errorf(f.error, "job at %s offset %d: %s", f.tp, f.offset, d.reason());
                    done(f.tp, f.offset);
                } else {
                    LOG.warnf(f.error, "job at %s offset %d could not be dead-lettered; retrying in %d ms", f.tp, f.offset,
                            d.backoffMs());
                }
            } else {
                int delivery = retries.nextDelivery(key);
                FailurePolicy.Decision d = retries.handlingFailed(key, f.record, f.error, System.nanoTime());
                if (d.next() == FailurePolicy.Next.DEAD_LETTER) {
                    LOG.errorf(f.error, "job at %s offset %d: %s; dead-lettering it", f.tp, f.offset, d.reason());
                    deadLetter(f.record, d.reason());
                } else {
                    LOG.warnf(f.error, "job at %s offset %d could not be finished (attempt %d, %s); retrying in %d ms",
                            f.tp, f.offset, delivery - 1, d.attempts() == 0 ? "transient" : d.attempts() + " failed",
                            d.backoffMs());
                }
            }
        }
    }

    /** The record's terminal event is acknowledged (or it was skipped): its offset may be committed. */
    private void done(TopicPartition tp, long offset) {
        String key = key(tp, offset);
        commits.finished(tp, offset);
        retries.ended(key);
        if (key.equals(isolating)) {
            isolating = null;
        }
    }

    /** Shutdown: take nothing new, give jobs in flight the grace period, commit, leave the group. */
    private void drain() {
        pending.clear();
        retries.clearWaiting();
        consumer.pause(consumer.assignment());
        long deadline = System.nanoTime() + grace.toNanos();
        while (commits.inFlight() > 0 && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(50));
            collectFinished();
            retries.clearWaiting();
        }
        if (commits.inFlight() > 0) {
            LOG.warnf("%d jobs still running after the %s grace period: handed back uncommitted", commits.inFlight(), grace);
        }
        try {
            commits.handOver(consumer.assignment());
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

    private static String key(TopicPartition tp, long offset) {
        return tp + "@" + offset;
    }

    private void forget(Collection<TopicPartition> parts) {
        pending.removeIf(r -> parts.contains(new TopicPartition(r.topic(), r.partition())));
        retries.forget(parts);
        commits.forget(parts);
        if (transactions != null) {
            transactions.forget(parts);
        }
        for (TopicPartition tp : parts) {
            if (isolating != null && isolating.startsWith(tp + "@")) {
                isolating = null;
            }
        }
    }

    /** Rebalances: revoked partitions get the grace period and a hand-over commit; assigned ones read their ledger. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (revoked.isEmpty()) {
                return;
            }
            pending.removeIf(r -> revoked.contains(new TopicPartition(r.topic(), r.partition())));
            retries.forget(revoked);
            long deadline = System.nanoTime() + grace.toNanos();
            while (revoked.stream().anyMatch(tp -> commits.inFlight(tp) > 0) && System.nanoTime() < deadline) {
                collectFinished();
                retries.forget(revoked);
                KafkaJobClient.sleep(20);
            }
            try {
                commits.handOver(revoked);
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
                commits.assigned(tp, committed.get(tp));
            }
            LOG.infof("partitions assigned: %s", assigned);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            forget(lost);
            LOG.warnf("partitions lost: %s (their jobs in flight will be redelivered)", lost);
        }
    }
}
