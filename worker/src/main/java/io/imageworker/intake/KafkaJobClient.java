package io.imageworker.intake;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * The job consumer's Kafka client, as the intake's parts see it: offsets committed plainly or, in
 * exactly-once delivery, through {@link TransactionalCommits} ({@link PartitionCommits.Client}), and
 * partitions paused and resumed ({@link Backpressure.Partitions}). Used on the consumer thread only,
 * as the Kafka client requires.
 */
final class KafkaJobClient implements PartitionCommits.Client, Backpressure.Partitions {

    private static final Logger LOG = Logger.getLogger(KafkaJobClient.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    /** Exactly-once delivery's transactions, or null (at-least-once: plain offset commits). */
    private final TransactionalCommits transactions;

    /**
     * @param kafka client properties (bootstrap servers, security ...)
     * @param groupId the consumer group
     * @param transactions exactly-once delivery's transactions, or null for plain offset commits
     */
    KafkaJobClient(Map<String, Object> kafka, String groupId, TransactionalCommits transactions) {
        this.transactions = transactions;
        Map<String, Object> props = new HashMap<>(kafka);
        if (transactions != null) {
            // Committed offsets read "stable": a transaction still deciding its offsets is waited for, so a new
            // owner never starts below offsets (and answers) that are about to commit.
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        }
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "image-worker-jobs");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The Kafka consumer itself. */
    KafkaConsumer<byte[], byte[]> consumer() {
        return consumer;
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (transactions == null) {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
        } else {
            commitInTransaction(offsets);
        }
    }

    @Override
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
            BiConsumer<Map<TopicPartition, OffsetAndMetadata>, Exception> done) {
        if (transactions == null) {
            consumer.commitAsync(offsets, done::accept);
            return;
        }
        try {
            transactions.commit(offsets, consumer.groupMetadata(), this::committedNow);
            done.accept(offsets, null);
        } catch (RuntimeException e) {
            done.accept(offsets, e); // staged answers stay; the next periodic commit tries again
        }
    }

    @Override
    public Set<TopicPartition> assignment() {
        return consumer.assignment();
    }

    @Override
    public Set<TopicPartition> paused() {
        return consumer.paused();
    }

    @Override
    public void pause(Collection<TopicPartition> parts) {
        consumer.pause(parts);
    }

    @Override
    public void resume(Collection<TopicPartition> parts) {
        consumer.resume(parts);
    }

    /** The group's committed offsets of {@code parts}, read stable (this consumer reads {@code read_committed}). */
    private Map<TopicPartition, OffsetAndMetadata> committedNow(Set<TopicPartition> parts) {
        return consumer.committed(parts, Duration.ofSeconds(30));
    }

    /**
     * A commit that must happen now (recording what is about to start, a hand-over): a failed
     * transaction is aborted and tried again, three times in all, as {@code commitSync} retries.
     */
    private void commitInTransaction(Map<TopicPartition, OffsetAndMetadata> offsets) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                transactions.commit(offsets, consumer.groupMetadata(), this::committedNow);
                return;
            } catch (RuntimeException e) {
                last = e;
                LOG.warnf("transaction committing %s failed (attempt %d of 3): %s", offsets.keySet(), attempt, e.toString());
                sleep(200L * attempt);
            }
        }
        throw last;
    }

    /** Sleeps {@code ms} on the consumer thread (an interrupt is kept for the caller). */
    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
