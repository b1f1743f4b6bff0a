package io.imageworker.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The warm-up's choice rule on timings of the shapes measured on real devices: a GPU's (a call's
 * cost nearly flat in its batch size) and this project's 2-core CPU's (PP-OCR and BlazeFace with
 * ONNX Runtime, field notes and issue 16: batching gains at most about 1.2x and mostly loses, two
 * callers with one intra-op thread each serve 1.7-1.8x one).
 */
class BatchChoiceTest {

    /** One-caller candidates of batch sizes 1, 2, 4 ... whose call takes {@code fixedMs + perItemMs * b}. */
    private static List<BatchChoice.Candidate> calls(double fixedMs, double perItemMs, int upTo, double cpuShare) {
        List<BatchChoice.Candidate> out = new ArrayList<>();
        for (int b = 1; b <= upTo; b *= 2) {
            double callS = (fixedMs + perItemMs * b) / 1e3;
            out.add(new BatchChoice.Candidate(b, 1, b / callS, cpuShare * callS / b));
        }
        return out;
    }

    /** One-caller candidates with the given items per second at batch sizes 1, 2, 4 ..., CPU time equal to wall time. */
    private static List<BatchChoice.Candidate> rates(double... itemsPerSecond) {
        List<BatchChoice.Candidate> out = new ArrayList<>();
        int b = 1;
        for (double r : itemsPerSecond) {
            out.add(new BatchChoice.Candidate(b, 1, r, 1 / r));
            b *= 2;
        }
        return out;
    }

    @Test
    void onAGpuACallsFlatCostKeepsTheLargestBatch() {
        // 5 ms a call plus 0.02 ms an item up to 256: the GPU waits on the launch, not the items; the
        // calling thread mostly waits (2% of the wall time on the CPU)
        List<BatchChoice.Candidate> gpu = calls(5, 0.02, 256, 0.02);
        BatchChoice.Kept kept = BatchChoice.choose(gpu, List.of(), true);
        assertThat(kept.batchSize()).isEqualTo(256);
        assertThat(kept.threads()).isEqualTo(1);
        // the CPU rule, fed the same flat costs, batches as large: large batches are not a GPU-only special case
        assertThat(BatchChoice.choose(gpu, List.of(), false).batchSize()).isEqualTo(256);
        // where a call's cost grows with its items the GPU keeps the smallest batch within 5% of the best:
        // 1 ms fixed, 0.5 ms an item: 128 items serve 1,969 a second, 32 1,882 (within 5%), 16 1,778
        BatchChoice.Kept saturated = BatchChoice.choose(calls(1, 0.5, 128, 0.1), List.of(), true);
        assertThat(saturated.batchSize()).isEqualTo(32);
    }

    @Test
    void onTheCpuBatchingThatGainsLittleOrLosesIsNotKept() {
        // PP-OCRv4 detection at batch 2 and 4: 0.97x and 0.76x of batch 1
        assertThat(BatchChoice.batchSize(rates(10, 9.7, 7.6), false).batchSize()).isEqualTo(1);
        // recognition at equal widths: 1.1x at 2, 1.2x at 4: a stream of mixed widths rarely fills such a batch
        assertThat(BatchChoice.batchSize(rates(100, 110, 120), false).batchSize()).isEqualTo(1);
        // BlazeFace at 32: 0.65x
        assertThat(BatchChoice.batchSize(rates(50, 48, 45, 40, 36, 33), false).batchSize()).isEqualTo(1);
        // the angle classifier at its one fixed shape (the warm-up log in docs/performance-real-photos.md): 2x at 8 pays, kept; 16 adds 3%
        assertThat(BatchChoice.batchSize(rates(327, 472, 559, 673, 696, 248), false).batchSize()).isEqualTo(8);
    }

    @Test
    void onTheCpuAnItemsCpuTimeJudgesTheBatchNotTheWallTimeOfALoadedMachine() {
        // batch 4 read 1.4x batch 1 by the wall clock because batch 1's window met a pause of the machine;
        // CPU time per item says the calls cost the same
        List<BatchChoice.Candidate> sizes = List.of(new BatchChoice.Candidate(1, 1, 70, 0.0100),
                new BatchChoice.Candidate(2, 1, 90, 0.0099), new BatchChoice.Candidate(4, 1, 100, 0.0098));
        assertThat(BatchChoice.batchSize(sizes, false).batchSize()).isEqualTo(1);
        // an accelerator counts items per second: 4 is the most within 5%
        assertThat(BatchChoice.batchSize(sizes, true).batchSize()).isEqualTo(4);
        // PP-OCRv4 recognition at warm-up on this machine at a load average of 20 (one run of the bench):
        // batch 1's window got a fifth of a core, so by the wall clock batch 2 read 2.9x; by CPU time 1.1x
        List<BatchChoice.Candidate> loaded = List.of(new BatchChoice.Candidate(1, 1, 8, 0.02551),
                new BatchChoice.Candidate(2, 1, 23, 0.02323), new BatchChoice.Candidate(4, 1, 19, 0.02379),
                new BatchChoice.Candidate(8, 1, 18, 0.02619));
        assertThat(BatchChoice.byCpu(loaded)).isTrue();
        assertThat(BatchChoice.batchSize(loaded, false).batchSize()).isEqualTo(1);
    }

    @Test
    void moreCallersAreKeptForAGainThatDoesNotCostEachItemMoreCpu() {
        List<BatchChoice.Candidate> sizes = rates(10, 9.7, 7.6);
        // two callers with one intra-op thread each: 1.75x, each item's CPU time 5% more: kept
        BatchChoice.Kept two = BatchChoice.choose(sizes, List.of(new BatchChoice.Candidate(1, 2, 17.5, 0.105)), false);
        assertThat(two.batchSize()).isEqualTo(1);
        assertThat(two.threads()).isEqualTo(2);
        assertThat(two.itemsPerSecond()).isEqualTo(17.5);
        // 1.3x, but each item takes 40% more CPU (the callers slow each other): the rest of the item's work
        // would pay for it on the CPU, so not kept; on an accelerator the gain alone counts
        List<BatchChoice.Candidate> contended = List.of(new BatchChoice.Candidate(1, 2, 13, 0.14));
        assertThat(BatchChoice.choose(sizes, contended, false).threads()).isEqualTo(1);
        assertThat(BatchChoice.choose(sizes, contended, true).threads()).isEqualTo(2);
        // 1.05x: not worth a thread anywhere
        List<BatchChoice.Candidate> flat = List.of(new BatchChoice.Candidate(1, 2, 10.5, 0.1));
        assertThat(BatchChoice.choose(sizes, flat, false).threads()).isEqualTo(1);
        assertThat(BatchChoice.choose(sizes, flat, true).threads()).isEqualTo(1);
        // a thread candidate timed at another batch size than the one kept is not taken
        assertThat(BatchChoice.choose(sizes, List.of(new BatchChoice.Candidate(2, 2, 40, 0.1)), false).threads()).isEqualTo(1);
    }

    @Test
    void callsThatMostlyWaitAreJudgedByWallTime() {
        // a fake or remote engine: 1% of the wall time on the CPU; four threads 3x, CPU per item 3x as well
        List<BatchChoice.Candidate> sizes = List.of(new BatchChoice.Candidate(1, 1, 100, 0.0001));
        List<BatchChoice.Candidate> more = List.of(new BatchChoice.Candidate(1, 4, 300, 0.0003));
        assertThat(BatchChoice.choose(sizes, more, false).threads()).isEqualTo(4);
    }

    @Test
    void noTimingIsAnError() {
        assertThatThrownBy(() -> BatchChoice.choose(List.of(), List.of(), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no batch size");
    }
}
