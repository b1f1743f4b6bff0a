package io.imageworker.intake;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Decides what happens to a job record whose handling failed, so that no record is retried forever.
 *
 * <p>Two kinds of failure are told apart by the cause chain:
 * <ul>
 *   <li><b>Transient</b>: a Kafka {@link RetriableException} anywhere in the chain (the broker did not
 *       take the result in time, a leader moved). The record is retried with backoff for as long as
 *       that lasts, uncounted: while the broker cannot take the terminal event, neither can it take a
 *       dead letter, and nothing on the partition could be committed anyway.
 *   <li><b>Deterministic</b>: anything else (a header the code chokes on, a parse path, a bug, a result
 *       the broker refuses outright). Each counts as an attempt; after {@code maxAttempts} the record
 *       goes to the dead-letter topic with the last error as its reason and the partition moves on.
 * </ul>
 * Should dead-lettering itself fail deterministically {@code maxAttempts} times, the record is
 * skipped with an error log (it stays in the job topic at its offset, for replay): the last resort
 * that keeps one record from holding its partition for ever.
 *
 * <p>Not thread-safe: the consumer thread owns it.
 */
final class FailurePolicy {

    /** What to do next with a record. */
    enum Next {
        /** Try the same step again after {@link Decision#backoffMs()}. */
        RETRY,
        /** Stop handling it: send it to the dead-letter topic with {@link Decision#reason()}. */
        DEAD_LETTER,
        /** Dead-lettering failed too often: commit past it without a terminal event. */
        SKIP
    }

    /**
     * @param next what to do
     * @param backoffMs wait before a retry, in milliseconds (0 otherwise)
     * @param attempts deterministic failures counted so far for this record and step
     * @param reason for people: why the record is dead-lettered or skipped (null for a retry)
     */
    record Decision(Next next, long backoffMs, int attempts, String reason) {}

    /** Longest wait between two tries, in milliseconds. */
    static final long MAX_BACKOFF_MS = 30_000;
    private static final long FIRST_BACKOFF_MS = 500;

    private final int maxAttempts;
    private final Map<String, Integer> handlingFailures = new HashMap<>();
    private final Map<String, Integer> deadLetterFailures = new HashMap<>();
    private final Map<String, Integer> transientFailures = new HashMap<>();

    /** @param maxAttempts deterministic failures of one record (and of its dead-lettering) before giving up, at least 1 */
    FailurePolicy(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
    }

    /** Handling of the record {@code key} (topic-partition@offset) failed with {@code error}. */
    Decision handlingFailed(String key, Throwable error) {
        if (isTransient(error)) {
            return retry(key);
        }
        int n = handlingFailures.merge(key, 1, Integer::sum);
        if (n < maxAttempts) {
            return new Decision(Next.RETRY, backoff(n), n, null);
        }
        return new Decision(Next.DEAD_LETTER, 0, n, "handling the event failed " + n + " times (" + describe(error)
                + "); it is not tried again");
    }

    /** Dead-lettering the record {@code key} failed with {@code error}. */
    Decision deadLetterFailed(String key, Throwable error) {
        if (isTransient(error)) {
            return retry(key);
        }
        int n = deadLetterFailures.merge(key, 1, Integer::sum);
        if (n < maxAttempts) {
            return new Decision(Next.RETRY, backoff(n), n, null);
        }
        return new Decision(Next.SKIP, 0, n, "dead-lettering the event failed " + n + " times (" + describe(error)
                + "); skipped, it stays in the job topic at its offset");
    }

    /** The record {@code key} ended (or is no longer ours): drop its counts. */
    void forget(String key) {
        handlingFailures.remove(key);
        deadLetterFailures.remove(key);
        transientFailures.remove(key);
    }

    /** Drops the counts of every record whose key starts with {@code prefix} ("topic-partition@"): the partition went. */
    void forgetPartition(String prefix) {
        handlingFailures.keySet().removeIf(k -> k.startsWith(prefix));
        deadLetterFailures.keySet().removeIf(k -> k.startsWith(prefix));
        transientFailures.keySet().removeIf(k -> k.startsWith(prefix));
    }

    /** Records with counts held, for tests and leak checks. */
    int tracked() {
        java.util.Set<String> keys = new java.util.HashSet<>(handlingFailures.keySet());
        keys.addAll(deadLetterFailures.keySet());
        keys.addAll(transientFailures.keySet());
        return keys.size();
    }

    private Decision retry(String key) {
        int n = transientFailures.merge(key, 1, Integer::sum);
        return new Decision(Next.RETRY, backoff(n), 0, null);
    }

    /** 0.5 s, 1 s, 2 s ... capped at {@link #MAX_BACKOFF_MS}. */
    static long backoff(int failures) {
        return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(10, Math.max(0, failures - 1)));
    }

    /** True when a Kafka {@link RetriableException} is anywhere in {@code error}'s cause chain. */
    static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause as "Type: message", for a dead letter's reason. */
    static String describe(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t
                && (t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
