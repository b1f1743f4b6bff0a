package io.imageworker.batching;

import org.awaitility.Awaitility;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The batcher's contract, with a fake model in place of DJL. */
class DynamicBatcherTest {

    /** A fake model that records the batches it saw. */
    static final class Recorder implements BatchRunner<Integer, Integer> {
        final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        final Function<List<Integer>, List<Integer>> body;
        volatile boolean closed;

        Recorder(Function<List<Integer>, List<Integer>> body) {
            this.body = body;
        }

        @Override
        public List<Integer> run(List<Integer> inputs) {
            batches.add(List.copyOf(inputs));
            return body.apply(inputs);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static List<Integer> doubled(List<Integer> in) {
        return in.stream().map(x -> x * 2).toList();
    }

    @Test
    void itemsArrivingTogetherShareABatchUpToTheMaximum() throws Exception {
        Recorder model = new Recorder(DynamicBatcherTest::doubled);
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("m", 4, Duration.ofMillis(200), () -> model,
                BatchObserver.NONE)) {
            List<CompletableFuture<Integer>> out = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                out.add(b.submit(i, 0));
            }
            for (int i = 0; i < 10; i++) {
                assertThat(out.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(2 * i);
            }
        }
        assertThat(model.batches).allSatisfy(batch -> assertThat(batch.size()).isLessThanOrEqualTo(4));
        assertThat(model.batches.size()).isLessThan(10);
        assertThat(model.closed).isTrue();
    }

    @Test
    void aLoneItemWaitsNoLongerThanTheMaxDelay() throws Exception {
        Recorder model = new Recorder(DynamicBatcherTest::doubled);
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("m", 64, Duration.ofMillis(50), () -> model,
                BatchObserver.NONE)) {
            long t0 = System.nanoTime();
            assertThat(b.submit(21, 0).get(5, TimeUnit.SECONDS)).isEqualTo(42);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).isBetween(40L, 1000L);
        }
    }

    @Test
    void higherPriorityLeavesTheQueueFirst() throws Exception {
        CountDownLatch firstBatchRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Recorder model = new Recorder(in -> {
            if (in.contains(-1)) {
                firstBatchRunning.countDown();
                await(release);
            }
            return doubled(in);
        });
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("m", 2, Duration.ZERO, () -> model,
                BatchObserver.NONE)) {
            CompletableFuture<Integer> blocker = b.submit(-1, 0);
            assertThat(firstBatchRunning.await(5, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<Integer>> low = List.of(b.submit(1, 0), b.submit(2, 0));
            List<CompletableFuture<Integer>> high = List.of(b.submit(100, 9), b.submit(101, 9));
            release.countDown();
            CompletableFuture.allOf(blocker, low.get(0), low.get(1), high.get(0), high.get(1)).get(5, TimeUnit.SECONDS);
        }
        assertThat(model.batches.get(1)).containsExactly(100, 101);
        assertThat(model.batches.get(2)).containsExactly(1, 2);
    }

    @Test
    void aFailingBatchIsRetriedItemByItemSoOnlyThePoisonFails() throws Exception {
        Recorder model = new Recorder(in -> {
            if (in.contains(13)) {
                throw new IllegalArgumentException("poison");
            }
            return doubled(in);
        });
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("m", 8, Duration.ofMillis(100), () -> model,
                BatchObserver.NONE)) {
            List<CompletableFuture<Integer>> out = new ArrayList<>();
            for (int i = 10; i < 16; i++) {
                out.add(b.submit(i, 0));
            }
            for (int i = 0; i < 6; i++) {
                int input = 10 + i;
                if (input == 13) {
                    assertThatThrownBy(() -> out.get(3).get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                            .hasRootCauseMessage("poison");
                } else {
                    assertThat(out.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(2 * input);
                }
            }
        }
    }

    @Test
    void aModelReturningTheWrongNumberOfOutputsFailsClearly() {
        Recorder model = new Recorder(in -> List.of(1));
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("m", 8, Duration.ofMillis(100), () -> model,
                BatchObserver.NONE)) {
            CompletableFuture<Integer> a = b.submit(1, 0);
            CompletableFuture<Integer> c = b.submit(2, 0);
            // retried alone, each call returns exactly one output, so both succeed
            assertThat(a.join()).isEqualTo(1);
            assertThat(c.join()).isEqualTo(1);
        }
        Recorder empty = new Recorder(in -> List.of());
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("m", 8, Duration.ZERO, () -> empty,
                BatchObserver.NONE)) {
            assertThatThrownBy(() -> b.submit(1, 0).get(5, TimeUnit.SECONDS)).hasMessageContaining("returned 0 outputs for 1");
        }
    }

    @Test
    void closingFailsWhatIsQueuedAndRefusesNewItems() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Recorder model = new Recorder(in -> {
            running.countDown();
            await(release);
            return doubled(in);
        });
        DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("m", 1, Duration.ZERO, () -> model, BatchObserver.NONE);
        CompletableFuture<Integer> inModel = b.submit(1, 0);
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Integer> queued = b.submit(2, 0);
        Thread closer = new Thread(b::close);
        closer.start();
        // close() has cleared the running flag once it waits for the inference thread to end.
        Awaitility.await("close() waiting for the inference thread").atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(1)).until(() -> closer.getState() == Thread.State.TIMED_WAITING);
        release.countDown();
        closer.join(10_000);
        assertThat(inModel.get(1, TimeUnit.SECONDS)).isEqualTo(2);
        assertThatThrownBy(() -> queued.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(BatcherClosedException.class);
        assertThatThrownBy(() -> b.submit(3, 0).get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(BatcherClosedException.class);
    }

    @Test
    void observerSeesEveryBatch() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        BatchObserver observer = (model, size, queue, compute, failed) -> sizes.add(size);
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("m", 16, Duration.ofMillis(100),
                () -> new Recorder(DynamicBatcherTest::doubled), observer)) {
            List<CompletableFuture<Integer>> out = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                out.add(b.submit(i, 0));
            }
            CompletableFuture.allOf(out.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        }
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void itemsOfDifferentShapesNeverShareABatch() throws Exception {
        Recorder model = new Recorder(DynamicBatcherTest::doubled);
        // The shape of an item here is its parity: odd and even items must not meet in one call.
        BatchTuning byParity = new BatchTuning(false, 1, x -> ((Integer) x) % 2);
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("m", 8, Duration.ofMillis(100), () -> model,
                BatchObserver.NONE, null, byParity)) {
            List<CompletableFuture<Integer>> out = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                out.add(b.submit(i, 0));
            }
            for (int i = 0; i < 20; i++) {
                assertThat(out.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(2 * i);
            }
        }
        assertThat(model.batches).allSatisfy(batch ->
                assertThat(batch.stream().map(x -> x % 2).distinct().count()).as("shapes in %s", batch).isEqualTo(1));
        assertThat(model.batches.stream().mapToInt(List::size).max().orElse(0)).as("equal shapes still batch").isGreaterThan(1);
        // Within one shape, arrival order is kept.
        for (List<Integer> batch : model.batches) {
            assertThat(batch).isSorted();
        }
    }

    /** A fake model whose call costs {@code fixedMs + perItemMs * n}, sleeping (so threads overlap) or holding one lock. */
    static BatchRunner<Integer, Integer> costly(double fixedMs, double perItemMs, Object sharedLock) {
        return new BatchRunner<>() {
            @Override
            public List<Integer> run(List<Integer> inputs) throws Exception {
                long nanos = (long) ((fixedMs + perItemMs * inputs.size()) * 1e6);
                if (sharedLock == null) {
                    TimeUnit.NANOSECONDS.sleep(nanos);
                } else {
                    synchronized (sharedLock) {
                        TimeUnit.NANOSECONDS.sleep(nanos);
                    }
                }
                return doubled(inputs);
            }

            @Override
            public void close() {}
        };
    }

    /** An observer that adds each warm-up's choice to {@code seen}. */
    static BatchObserver choicesInto(List<DynamicBatcher.Choice> seen) {
        return new BatchObserver() {
            @Override
            public void batch(String model, int size, long q, long c, boolean failed) {}

            @Override
            public void tuned(String model, DynamicBatcher.Choice choice) {
                seen.add(choice);
            }
        };
    }

    @Test
    void theWarmUpKeepsTheBatchSizeAndThreadsThatServeMost() throws Exception {
        List<DynamicBatcher.Choice> seen = Collections.synchronizedList(new ArrayList<>());
        BatchObserver observer = choicesInto(seen);
        BatchTuning measure = new BatchTuning(true, 2, null);
        // A call's fixed cost dominates: batching pays up to the cap (8 items cost 10 + 4 ms, 1 item 10.5 ms).
        // The calls share one lock, as in an engine that serialises them: a second thread gains nothing.
        Object lock = new Object();
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("fixed-cost", 8, Duration.ZERO,
                () -> costly(10, 0.5, lock), observer, 1, measure)) {
            b.warmed().get(30, TimeUnit.SECONDS);
            assertThat(b.maxBatchSize()).isEqualTo(8);
            assertThat(b.threads()).isEqualTo(1);
            assertThat(b.submit(4, 0).get(5, TimeUnit.SECONDS)).isEqualTo(8);
        }
        // Cost per item only: every batch size serves the same, the smallest is kept; calls overlap
        // (no shared lock), so two threads serve about twice as many.
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("per-item", 8, Duration.ZERO,
                () -> costly(0, 5, null), observer, 1, measure)) {
            b.warmed().get(30, TimeUnit.SECONDS);
            assertThat(b.maxBatchSize()).isLessThanOrEqualTo(2);
            assertThat(b.threads()).isEqualTo(2);
            List<CompletableFuture<Integer>> out = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                out.add(b.submit(i, 0));
            }
            for (int i = 0; i < 6; i++) {
                assertThat(out.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(2 * i);
            }
        }
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0).candidates()).containsKeys("b1", "b2", "b4", "b8", "t2");
        assertThat(seen.get(1).threads()).isEqualTo(2);
    }

    /**
     * A runner that computes like a per-item cost and, like an engine's storage pool, keeps native
     * memory for the largest batch it ran: {@code perItemMiB} MiB per item, taken with {@code malloc}.
     */
    static BatchRunner<Integer, Integer> pooling(int perItemMiB, List<long[]> pool) {
        return new BatchRunner<>() {
            @Override
            public List<Integer> run(List<Integer> inputs) throws Exception {
                long want = (long) perItemMiB * inputs.size() << 20;
                synchronized (pool) {
                    long held = pool.stream().mapToLong(p -> p[1]).sum();
                    if (held < want) {
                        long address = com.sun.jna.Native.malloc(want - held);
                        new com.sun.jna.Pointer(address).setByte(0, (byte) 1);
                        pool.add(new long[] {address, want - held});
                    }
                }
                TimeUnit.MILLISECONDS.sleep(1);
                return doubled(inputs);
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void theWarmUpDoesNotTryABatchWhoseMemoryWouldPassTheBudget() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeMemory.available(), "glibc's mallinfo2 (2.33+) absent");
        List<long[]> warm = Collections.synchronizedList(new ArrayList<>());
        BatchObserver observer = new BatchObserver() {
            @Override
            public void batch(String model, int size, long q, long c, boolean failed) {}

            @Override
            public void warmedUp(String model, int batchSize, long nativeBytes) {
                warm.add(new long[] {batchSize, nativeBytes});
            }
        };
        List<long[]> pool = new ArrayList<>(); // address, bytes
        // earlier tests' arrays freed by the collector while this one measures would read as shrinking
        System.gc();
        TimeUnit.MILLISECONDS.sleep(200);
        // 32 MiB an item: b1 32, b2 64, b4 128 MiB; b8 would hold 256 MiB, over the 160 MiB budget, and
        // is skipped from the line through b2 and b4 without running it. Items this large keep the
        // process's other allocations (CI read one run 14 MiB off at 8 MiB an item) from bending the line.
        BatchTuning bounded = new BatchTuning(true, 1, null, false, 160L << 20);
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("pooling", 64, Duration.ZERO,
                () -> pooling(32, pool), observer, 1, bounded)) {
            b.warmed().get(30, TimeUnit.SECONDS);
            assertThat(b.maxBatchSize()).isBetween(1, 4);
            assertThat(b.submit(3, 0).get(5, TimeUnit.SECONDS)).isEqualTo(6);
            synchronized (pool) {
                assertThat(pool.stream().mapToLong(p -> p[1]).sum()).as("largest batch run")
                        .isEqualTo(128L << 20);
            }
            // the footprint read from the C library: the 128 MiB the runner holds, give or take what the rest of
            // the process allocated or freed meanwhile (mallinfo2 is process-wide: in the full suite an earlier
            // class's natives freed by their cleaners during this warm-up read 96 MiB once); a broken reading
            // (none, -1, the whole process, twice the pool) still fails
            assertThat(b.nativeBytes()).isBetween(64L << 20, 192L << 20);
        }
        assertThat(warm).hasSize(1);
        assertThat(warm.get(0)[1]).isBetween(64L << 20, 192L << 20);
        pool.forEach(p -> com.sun.jna.Native.free(p[0]));
    }

    @Test
    void theMemoryBoundExtrapolatesFromTheLastTwoSizes() {
        MemoryBound bound = new MemoryBound(100, 0);
        assertThat(bound.predicted(2)).isZero();
        assertThat(bound.record(1, 30)).isFalse();
        assertThat(bound.predicted(2)).as("proportional from one size").isEqualTo(60);
        assertThat(bound.predictedOver(4)).isTrue();
        assertThat(bound.record(2, 40)).isFalse();
        // fixed 20 + 10 a item: b4 60, b8 100, b16 180
        assertThat(bound.predicted(4)).isEqualTo(60);
        assertThat(bound.record(4, 60)).isFalse();
        assertThat(bound.predicted(8)).isEqualTo(100);
        assertThat(bound.predictedOver(8)).isFalse();
        assertThat(bound.predictedOver(16)).isTrue();
        assertThat(bound.record(-2, 120)).as("a thread candidate over the budget").isTrue();
        assertThat(bound.predicted(8)).as("threads do not move the line").isEqualTo(100);
        assertThat(new MemoryBound(0, 0).record(64, Long.MAX_VALUE)).as("no budget").isFalse();
    }

    @Test
    void withoutMeasuringTheGivenThreadsServeAndCallsReportTheirElements() throws Exception {
        List<long[]> elements = Collections.synchronizedList(new ArrayList<>());
        BatchObserver observer = new BatchObserver() {
            @Override
            public void batch(String model, int size, long q, long c, boolean failed) {}

            @Override
            public void elements(String model, long real, long called) {
                elements.add(new long[] {real, called});
            }
        };
        // shape (1, x % 3 + 1): three sizes of item, never sharing a call
        BatchTuning pinned = new BatchTuning(false, 3, x -> List.of(1, (Integer) x % 3 + 1));
        try (DynamicBatcher<Integer, Integer> b = new DynamicBatcher<>("pinned", 4, Duration.ofMillis(2),
                () -> costly(0, 1, null), observer, 1, pinned)) {
            b.warmed().get(30, TimeUnit.SECONDS);
            assertThat(b.threads()).isEqualTo(3);
            assertThat(b.maxBatchSize()).isEqualTo(4);
            List<CompletableFuture<Integer>> out = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                out.add(b.submit(i, 0));
            }
            for (int i = 0; i < 30; i++) {
                assertThat(out.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(2 * i);
            }
        }
        // every item counted once, at its own size: 10 items each of 1, 2 and 3 elements, nothing padded
        assertThat(elements.stream().mapToLong(e -> e[0]).sum()).isEqualTo(60);
        assertThat(elements).allSatisfy(e -> assertThat(e[1]).isEqualTo(e[0]));
        assertThat(DynamicBatcher.elementsOf(List.of(3, 48, 320))).isEqualTo(3 * 48 * 320);
        assertThat(DynamicBatcher.elementsOf("not a shape")).isZero();
    }
}
