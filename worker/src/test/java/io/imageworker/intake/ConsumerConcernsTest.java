package io.imageworker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The job consumer's concerns, each alone with in-memory fakes of the Kafka client. */
class ConsumerConcernsTest {

    static final TopicPartition P0 = new TopicPartition("jobs", 0);
    static final TopicPartition P1 = new TopicPartition("jobs", 1);

    /** Records every commit; the assignment is settable. */
    static final class FakeClient implements PartitionCommits.Client, Backpressure.Partitions {
        final List<Map<TopicPartition, OffsetAndMetadata>> commits = new ArrayList<>();
        final Set<TopicPartition> assigned = new HashSet<>(Set.of(P0, P1));
        final Set<TopicPartition> paused = new HashSet<>();

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            commits.add(offsets);
        }

        @Override
        public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                BiConsumer<Map<TopicPartition, OffsetAndMetadata>, Exception> done) {
            commits.add(offsets);
            done.accept(offsets, null);
        }

        @Override
        public Set<TopicPartition> assignment() {
            return assigned;
        }

        @Override
        public Set<TopicPartition> paused() {
            return new HashSet<>(paused);
        }

        @Override
        public void pause(Collection<TopicPartition> parts) {
            paused.addAll(parts);
        }

        @Override
        public void resume(Collection<TopicPartition> parts) {
            paused.removeAll(parts);
        }

        OffsetAndMetadata last(TopicPartition tp) {
            for (int i = commits.size() - 1; i >= 0; i--) {
                if (commits.get(i).containsKey(tp)) {
                    return commits.get(i).get(tp);
                }
            }
            return null;
        }
    }

    @Test
    void commitsNeverPassAJobStillInFlightAndRecordWhatIsAboutToStart() {
        FakeClient client = new FakeClient();
        PartitionCommits commits = new PartitionCommits(client, 4);
        commits.assigned(P0, new OffsetAndMetadata(10, CrashLedger.NONE.format()));
        assertThat(commits.needsRecording(P0, 10)).isTrue();
        commits.recordUpTo(P0, 10, 12);
        assertThat(CrashLedger.parse(client.last(P0).metadata()).upTo()).as("pending 10..12 + headroom 4").isEqualTo(17);
        assertThat(commits.needsRecording(P0, 16)).isFalse();
        for (long o = 10; o <= 12; o++) {
            commits.dispatched(P0, o);
        }
        commits.finished(P0, 11);
        commits.finished(P0, 12);
        commits.commitFinished(true, null);
        assertThat(client.last(P0).offset()).as("10 is still in flight").isEqualTo(10);
        commits.finished(P0, 10);
        commits.commitFinished(false, null);
        assertThat(client.last(P0).offset()).isEqualTo(13);
        assertThat(commits.inFlight()).isZero();
    }

    @Test
    void aCrashLedgerIsReadOnAssignmentAndASuspectIsNamedWhileItRuns() {
        FakeClient client = new FakeClient();
        PartitionCommits commits = new PartitionCommits(client, 4);
        commits.assigned(P1, new OffsetAndMetadata(20, new CrashLedger(23, -1, 0).format()));
        assertThat(commits.ledger(P1).isSuspect(22)).isTrue();
        assertThat(commits.ledger(P1).isSuspect(23)).isFalse();
        commits.dispatched(P1, 20);
        commits.recordSuspect(P1, 20, 1);
        CrashLedger named = CrashLedger.parse(client.last(P1).metadata());
        assertThat(named.suspect()).isEqualTo(20);
        assertThat(named.tries()).isEqualTo(1);
        commits.handOver(List.of(P1));
        assertThat(CrashLedger.parse(client.last(P1).metadata())).as("a graceful hand-over names no suspect")
                .isEqualTo(CrashLedger.NONE);
        commits.forget(List.of(P1));
        assertThat(commits.inFlight()).isZero();
    }

    @Test
    void retriesAreScheduledWithBackoffThenDeadLetteredThenEnded() {
        RetryQueue q = new RetryQueue(2);
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("jobs", 0, 5L, new byte[0], new byte[0]);
        q.handling("jobs-0@5", 1);
        FailurePolicy.Decision first = q.handlingFailed("jobs-0@5", r, new IllegalStateException("bug"), 0);
        assertThat(first.next()).isEqualTo(FailurePolicy.Next.RETRY);
        assertThat(q.due(first.backoffMs() * 1_000_000 - 1)).as("not before its backoff").isEmpty();
        List<RetryQueue.Due> due = q.due(first.backoffMs() * 1_000_000);
        assertThat(due).hasSize(1);
        assertThat(due.get(0).delivery()).isEqualTo(2);
        assertThat(due.get(0).deadLetterReason()).isNull();
        q.handling("jobs-0@5", 2);
        assertThat(q.handlingFailed("jobs-0@5", r, new IllegalStateException("bug"), 0).next())
                .isEqualTo(FailurePolicy.Next.DEAD_LETTER);
        q.deadLettering("jobs-0@5", "handling failed");
        q.deadLetterFailed("jobs-0@5", r, new IllegalStateException("dlq down"), 0);
        List<RetryQueue.Due> dlq = q.due(Long.MAX_VALUE);
        assertThat(dlq).singleElement().extracting(RetryQueue.Due::deadLetterReason).isEqualTo("handling failed");
        q.ended("jobs-0@5");
        q.handlingFailed("jobs-0@6", r, new IllegalStateException(), 0);
        q.forget(List.of(P0));
        assertThat(q.waiting()).isZero();
    }

    @Test
    void backpressurePausesEveryAssignedPartitionWhileRecordsWaitAndResumesAfter() {
        FakeClient client = new FakeClient();
        Backpressure b = new Backpressure(client);
        b.update(0);
        assertThat(b.paused()).isFalse();
        b.update(3);
        assertThat(b.paused()).isTrue();
        assertThat(client.paused).containsExactlyInAnyOrder(P0, P1);
        TopicPartition p2 = new TopicPartition("jobs", 2);
        client.assigned.add(p2);
        b.update(1);
        assertThat(client.paused).as("a partition assigned while paused is paused too").contains(p2);
        b.update(0);
        assertThat(b.paused()).isFalse();
        assertThat(client.paused).isEmpty();
    }
}
