package io.imageworker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    final TopicPartition p0 = new TopicPartition("jobs", 0);
    final TopicPartition p1 = new TopicPartition("jobs", 1);

    @Test
    void commitsOnlyBelowTheOldestJobInFlight() {
        OffsetTracker t = new OffsetTracker();
        for (long o = 10; o < 15; o++) {
            t.dispatched(p0, o);
        }
        t.finished(p0, 11);
        t.finished(p0, 12);
        assertThat(t.committable()).containsExactlyEntriesOf(Map.of(p0, 10L));
        t.finished(p0, 10);
        assertThat(t.committable()).containsExactlyEntriesOf(Map.of(p0, 13L));
        t.finished(p0, 13);
        t.finished(p0, 14);
        assertThat(t.committable()).containsExactlyEntriesOf(Map.of(p0, 15L));
    }

    @Test
    void onlyPartitionsThatMovedAreCommittedAgain() {
        OffsetTracker t = new OffsetTracker();
        t.dispatched(p0, 0);
        t.dispatched(p1, 5);
        t.finished(p0, 0);
        t.finished(p1, 5);
        Map<TopicPartition, Long> first = t.committable();
        assertThat(first).containsEntry(p0, 1L).containsEntry(p1, 6L);
        t.committed(first);
        assertThat(t.committable()).isEmpty();
        t.dispatched(p1, 6);
        assertThat(t.committable()).isEmpty();
        t.finished(p1, 6);
        assertThat(t.committable()).containsExactlyEntriesOf(Map.of(p1, 7L));
        assertThat(t.inFlight()).isZero();
    }

    @Test
    void forgottenPartitionsAreNotCommitted() {
        OffsetTracker t = new OffsetTracker();
        t.dispatched(p0, 3);
        t.forget(p0);
        t.finished(p0, 3);
        assertThat(t.committable()).isEmpty();
    }
}
