package io.imageworker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ItemPermitsTest {

    @Test
    void waitersAreServedInOrderAsPermitsReturn() {
        ItemPermits permits = new ItemPermits(2);
        assertThat(permits.acquire()).isDone();
        assertThat(permits.acquire()).isDone();
        assertThat(permits.hasFree()).isFalse();
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(permits.acquire());
        }
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        permits.release();
        assertThat(waiting.get(0)).isDone();
        assertThat(waiting.get(1)).isNotDone();
        permits.release();
        permits.release();
        assertThat(waiting).allMatch(CompletableFuture::isDone);
        assertThat(permits.inUse()).isEqualTo(2);
        permits.release();
        permits.release();
        assertThat(permits.inUse()).isZero();
        assertThat(permits.hasFree()).isTrue();
    }
}
