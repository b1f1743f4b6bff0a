package io.imageworker.intake;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Retry and poison accounting of the job consumer: each record's delivery number, the records
 * waiting for another try (of handling, or of dead-lettering with a reason), and the
 * {@link FailurePolicy} that decides between another try, a dead letter and a skip. Not
 * thread-safe: the consumer thread owns it.
 */
final class RetryQueue {

    /** A step due again: handling ({@code deadLetterReason} null) or dead-lettering. */
    record Due(ConsumerRecord<byte[], byte[]> record, int delivery, String deadLetterReason) {}

    private record Waiting(ConsumerRecord<byte[], byte[]> record, long dueNanos, int delivery, String reason) {}

    private final FailurePolicy policy;
    private final List<Waiting> waiting = new ArrayList<>();
    private final Map<String, Integer> deliveries = new HashMap<>();
    private final Map<String, String> deadLetterReasons = new HashMap<>();

    /** @param maxAttempts see {@link FailurePolicy#FailurePolicy(int)} */
    RetryQueue(int maxAttempts) {
        this.policy = new FailurePolicy(maxAttempts);
    }

    /** Handling of the record {@code key} starts, as its delivery {@code delivery} (1 for the first). */
    void handling(String key, int delivery) {
        deliveries.put(key, delivery);
    }

    /** Dead-lettering of the record {@code key} starts, with {@code reason}. */
    void deadLettering(String key, String reason) {
        deadLetterReasons.put(key, reason);
    }

    /**
     * Handling of {@code record} failed with {@code error}: schedules another try when the policy
     * says so, and returns the decision (a {@link FailurePolicy.Next#DEAD_LETTER} is the caller's to carry out).
     */
    FailurePolicy.Decision handlingFailed(String key, ConsumerRecord<byte[], byte[]> record, Throwable error, long nowNanos) {
        FailurePolicy.Decision d = policy.handlingFailed(key, error);
        if (d.next() == FailurePolicy.Next.RETRY) {
            waiting.add(new Waiting(record, nowNanos + d.backoffMs() * 1_000_000, nextDelivery(key), null));
        }
        return d;
    }

    /**
     * Dead-lettering of {@code record} failed with {@code error}: schedules another try when the
     * policy says so, and returns the decision (a {@link FailurePolicy.Next#SKIP} is the caller's to carry out).
     */
    FailurePolicy.Decision deadLetterFailed(String key, ConsumerRecord<byte[], byte[]> record, Throwable error, long nowNanos) {
        FailurePolicy.Decision d = policy.deadLetterFailed(key, error);
        if (d.next() == FailurePolicy.Next.RETRY) {
            waiting.add(new Waiting(record, nowNanos + d.backoffMs() * 1_000_000, -1, deadLetterReasons.get(key)));
        }
        return d;
    }

    /** The next delivery number of {@code key}, for logs. */
    int nextDelivery(String key) {
        return deliveries.getOrDefault(key, 1) + 1;
    }

    /** Takes the steps whose time has come, oldest first. */
    List<Due> due(long nowNanos) {
        List<Due> out = new ArrayList<>();
        for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
            Waiting w = it.next();
            if (w.dueNanos <= nowNanos) {
                it.remove();
                out.add(new Due(w.record, w.delivery, w.reason));
            }
        }
        return out;
    }

    /** The record {@code key} ended, or is no longer ours: drop what was kept of it. */
    void ended(String key) {
        deliveries.remove(key);
        deadLetterReasons.remove(key);
        policy.forget(key);
    }

    /** Drops the waiting steps, keeping the counts (shutdown: what waits is handed back). */
    void clearWaiting() {
        waiting.clear();
    }

    /** Drops every step and count of records of {@code parts} (revoked or lost). */
    void forget(Collection<TopicPartition> parts) {
        waiting.removeIf(w -> parts.contains(new TopicPartition(w.record.topic(), w.record.partition())));
        for (TopicPartition tp : parts) {
            String prefix = tp + "@";
            deliveries.keySet().removeIf(k -> k.startsWith(prefix));
            deadLetterReasons.keySet().removeIf(k -> k.startsWith(prefix));
            policy.forgetPartition(prefix);
        }
    }

    /** Steps waiting, for tests. */
    int waiting() {
        return waiting.size();
    }
}
