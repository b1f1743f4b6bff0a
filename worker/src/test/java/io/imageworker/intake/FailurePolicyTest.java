package io.imageworker.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class FailurePolicyTest {

    @Test
    void aDeterministicFailureEndsAsADeadLetterAfterMaxAttempts() {
        FailurePolicy policy = new FailurePolicy(3);
        NullPointerException npe = new NullPointerException("header value is null");
        FailurePolicy.Decision first = policy.handlingFailed("t-0@5", npe);
        FailurePolicy.Decision second = policy.handlingFailed("t-0@5", new CompletionException(npe));
        FailurePolicy.Decision third = policy.handlingFailed("t-0@5", npe);

        assertThat(first.next()).isEqualTo(FailurePolicy.Next.RETRY);
        assertThat(first.backoffMs()).isEqualTo(500);
        assertThat(second.next()).isEqualTo(FailurePolicy.Next.RETRY);
        assertThat(second.backoffMs()).isEqualTo(1000);
        assertThat(third.next()).isEqualTo(FailurePolicy.Next.DEAD_LETTER);
        assertThat(third.attempts()).isEqualTo(3);
        assertThat(third.reason()).contains("3 times").contains("NullPointerException: header value is null");
    }

    @Test
    void recordsAreCountedApart() {
        FailurePolicy policy = new FailurePolicy(2);
        policy.handlingFailed("t-0@5", new IllegalStateException());
        assertThat(policy.handlingFailed("t-0@6", new IllegalStateException()).next()).isEqualTo(FailurePolicy.Next.RETRY);
        assertThat(policy.handlingFailed("t-0@5", new IllegalStateException()).next()).isEqualTo(FailurePolicy.Next.DEAD_LETTER);
    }

    @Test
    void aBrokerThatCannotTakeTheResultIsWaitedForUncounted() {
        FailurePolicy policy = new FailurePolicy(2);
        for (int i = 0; i < 20; i++) {
            FailurePolicy.Decision d = policy.handlingFailed("t-0@5",
                    new CompletionException(new TimeoutException("Expiring 1 record(s)")));
            assertThat(d.next()).isEqualTo(FailurePolicy.Next.RETRY);
            assertThat(d.backoffMs()).isBetween(500L, FailurePolicy.MAX_BACKOFF_MS);
        }
        assertThat(policy.handlingFailed("t-0@5", new NotLeaderOrFollowerException("moved")).next())
                .isEqualTo(FailurePolicy.Next.RETRY);
        // A refusal that retrying cannot cure counts.
        assertThat(policy.handlingFailed("t-0@5", new RecordTooLargeException("too big")).next())
                .isEqualTo(FailurePolicy.Next.RETRY);
        assertThat(policy.handlingFailed("t-0@5", new RecordTooLargeException("too big")).next())
                .isEqualTo(FailurePolicy.Next.DEAD_LETTER);
    }

    @Test
    void deadLetteringThatKeepsFailingEndsInASkip() {
        FailurePolicy policy = new FailurePolicy(2);
        assertThat(policy.deadLetterFailed("t-0@5", new IllegalStateException("bug")).next()).isEqualTo(FailurePolicy.Next.RETRY);
        assertThat(policy.deadLetterFailed("t-0@5", new TimeoutException("broker away")).next())
                .isEqualTo(FailurePolicy.Next.RETRY);
        FailurePolicy.Decision last = policy.deadLetterFailed("t-0@5", new IllegalStateException("bug"));
        assertThat(last.next()).isEqualTo(FailurePolicy.Next.SKIP);
        assertThat(last.reason()).contains("stays in the job topic");
    }

    @Test
    void forgettingDropsEveryCount() {
        FailurePolicy policy = new FailurePolicy(3);
        policy.handlingFailed("t-0@5", new IllegalStateException());
        policy.deadLetterFailed("t-0@5", new IllegalStateException());
        policy.handlingFailed("t-1@5", new TimeoutException("x"));
        policy.handlingFailed("t-0@6", new IllegalStateException());
        policy.forget("t-0@5");
        assertThat(policy.tracked()).isEqualTo(2);
        policy.forgetPartition("t-0@");
        assertThat(policy.tracked()).isEqualTo(1);
        // Counting starts again for a record seen anew.
        assertThat(policy.handlingFailed("t-0@5", new IllegalStateException()).attempts()).isEqualTo(1);
    }

    @Test
    void backoffDoublesToItsCap() {
        assertThat(FailurePolicy.backoff(1)).isEqualTo(500);
        assertThat(FailurePolicy.backoff(2)).isEqualTo(1000);
        assertThat(FailurePolicy.backoff(7)).isEqualTo(FailurePolicy.MAX_BACKOFF_MS);
        assertThat(FailurePolicy.backoff(1000)).isEqualTo(FailurePolicy.MAX_BACKOFF_MS);
        assertThatThrownBy(() -> new FailurePolicy(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
