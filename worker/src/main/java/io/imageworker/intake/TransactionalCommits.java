package io.imageworker.intake;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Exactly-once delivery, as the job consumer sees it: every offset commit is a producer
 * transaction that also carries the events answering the records below the committed offsets
 * (their results and dead letters), so a {@code read_committed} reader sees a job's answer if and
 * only if its offset is committed. Jobs finish out of order; their answers wait, staged, until the
 * offset below them is contiguous. All methods are called on the consumer's thread.
 */
public interface TransactionalCommits {

    /**
     * An attempt at the record {@code offset} of {@code tp} starts (a first try, a retry, or its
     * dead-lettering): whatever an earlier attempt staged for it is dropped, so the record is
     * answered once, by its last attempt.
     */
    void attemptStarts(TopicPartition tp, long offset);

    /**
     * One transaction: produces the staged answers of every record below {@code offsets} (per
     * partition), adds the offsets with {@code group} ({@code sendOffsetsToTransaction}, which fences
     * a consumer that is no longer the partition's owner) and commits. On failure the transaction is
     * aborted, the answers stay staged (the next commit produces them again) and the error is thrown;
     * nothing of an aborted transaction is visible to {@code read_committed} readers.
     *
     * @param offsets per partition, the next offset to consume and its metadata
     * @param group the consumer's group metadata (generation, member id)
     * @param committed reads the group's committed offsets of some partitions, stable (waiting for
     *     transactions that are deciding): how a commit whose answer never came learns whether it took effect
     * @throws org.apache.kafka.common.KafkaException when the transaction did not commit
     */
    void commit(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group,
            Function<Set<TopicPartition>, Map<TopicPartition, OffsetAndMetadata>> committed);

    /** {@code parts} are no longer this consumer's: their staged answers are dropped (the next owner answers them). */
    void forget(Collection<TopicPartition> parts);
}
