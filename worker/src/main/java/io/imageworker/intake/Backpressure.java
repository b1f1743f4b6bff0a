package io.imageworker.intake;

import java.util.Collection;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Backpressure of the job consumer: while records wait for room in the pipeline, every assigned
 * partition is paused (the consumer keeps polling, so it stays in its group, and nothing is
 * dropped); once they are all dispatched, the partitions resume. Not thread-safe but for
 * {@link #paused()}, read by the metrics.
 */
final class Backpressure {

    /** The consumer operations pausing needs; the job consumer adapts its Kafka client. */
    interface Partitions {
        /** The partitions assigned now. */
        Set<TopicPartition> assignment();

        /** The partitions paused now. */
        Set<TopicPartition> paused();

        /** Stops fetching from {@code parts}. */
        void pause(Collection<TopicPartition> parts);

        /** Fetches from {@code parts} again. */
        void resume(Collection<TopicPartition> parts);
    }

    private final Partitions partitions;
    private volatile boolean paused;

    Backpressure(Partitions partitions) {
        this.partitions = partitions;
    }

    /** True while intake holds records back because the pipeline is full. */
    boolean paused() {
        return paused;
    }

    /** Pauses or resumes after a dispatch: {@code waiting} records could not be started. */
    void update(int waiting) {
        Set<TopicPartition> assigned = partitions.assignment();
        boolean full = waiting > 0;
        if (full && !paused) {
            partitions.pause(assigned);
            paused = true;
        } else if (!full && paused) {
            partitions.resume(partitions.paused());
            paused = false;
        } else if (full) {
            partitions.pause(assigned); // partitions assigned while paused
        }
    }
}
