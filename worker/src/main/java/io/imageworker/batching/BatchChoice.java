package io.imageworker.batching;

import java.util.List;

/**
 * The rule that turns the warm-up's timings into a batch size and a number of inference threads,
 * kept apart from the timing so that it can be checked on timings of any shape (a GPU's, this
 * machine's CPU's).
 *
 * <p>What a candidate is worth depends on where the model runs:
 * <ul>
 * <li>On an accelerator a call's cost is nearly flat in its batch size, and the model's time is
 * not taken from the rest of an item's work (decoding, drawing, encoding run on the CPU): the most
 * items per second wins, and a larger batch is kept for a 5% gain.</li>
 * <li>On the CPU the model's cores are the ones the rest of the item's work needs, and on a mixed
 * stream a batch fills only with items of one shape (items are never padded to each other), so
 * full batches of equal shapes, which the warm-up times, are rarer than in the warm-up. A larger
 * batch is kept only where it saves a quarter of an item's cost (at most about 1.2x was measured
 * for batching PP-OCR and BlazeFace on 2 cores at equal shapes, and detection lost; a batch that
 * cannot fill also keeps its first item waiting the queue delay for company), and an item's cost is the CPU time
 * its calls spend where that is known (the better measure on a shared machine, whose pauses
 * stretch wall time but not CPU time). More threads are kept for a 10% gain in items per second
 * only when an item's CPU time does not rise by more than 10% with them: a thread that gains by
 * taking a core from the item's other work, or that slows its sibling, loses end to end.</li>
 * </ul>
 */
public final class BatchChoice {

    private BatchChoice() {}

    /** Gain a larger batch needs on an accelerator (items per second). */
    static final double ACCELERATOR_BATCH_GAIN = 1.05;
    /** Gain a larger batch needs on the CPU (per item's cost). */
    static final double CPU_BATCH_GAIN = 1.25;
    /** Gain in items per second more inference threads need. */
    static final double THREAD_GAIN = 1.10;
    /** Most an item's CPU time may rise with more threads (CPU only). */
    static final double THREAD_CPU_RISE = 1.10;
    /**
     * CPU time counts as an item's cost only when the calling threads spent at least this share of
     * the wall time computing: below it the call mostly waits (on another device, or a fake in a
     * test), and its CPU time says nothing about its cost. Low, because a loaded machine gives the
     * calling thread a small share of a core: at a load average of 20 on 2 cores the recognizer's
     * thread computed 20% of the wall time.
     */
    static final double CPU_BOUND_SHARE = 0.05;

    /**
     * One timed candidate.
     *
     * @param batchSize items per call
     * @param threads callers calling at once, each with its own predictor
     * @param itemsPerSecond items all callers served per second of wall time
     * @param cpuSecondsPerItem CPU time of the calling threads per item (0 or NaN: not measured)
     */
    public record Candidate(int batchSize, int threads, double itemsPerSecond, double cpuSecondsPerItem) {

        /** Wall seconds per item on one caller (the wall cost of a single-thread candidate). */
        double wallSecondsPerItem() {
            return threads / itemsPerSecond;
        }

        /** Whether the calls computed rather than waited: CPU time is then their cost. */
        boolean cpuBound() {
            return cpuSecondsPerItem > 0 && cpuSecondsPerItem >= CPU_BOUND_SHARE * wallSecondsPerItem();
        }

        /** Seconds an item costs: its CPU time when {@code byCpu}, else its wall time on one caller. */
        public double cost(boolean byCpu) {
            return byCpu ? cpuSecondsPerItem : wallSecondsPerItem();
        }
    }

    /**
     * Whether the CPU rule weighs these candidates by CPU time: when every one of them computed
     * (one judge for all: an item's CPU time and another's wall time do not compare).
     */
    public static boolean byCpu(List<Candidate> candidates) {
        return !candidates.isEmpty() && candidates.stream().allMatch(Candidate::cpuBound);
    }

    /** The kept batch size and threads. */
    public record Kept(int batchSize, int threads, double itemsPerSecond) {}

    /**
     * The batch size among {@code sizes} (one caller each, in increasing batch size) and then the
     * number of callers among {@code threads} (all at the batch size kept, in increasing number of
     * callers; may be empty) that serve best by the rule above.
     *
     * @param sizes one-caller candidates in increasing batch size, at least one
     * @param threads candidates of more callers at the kept batch size, in increasing number
     * @param accelerator the model runs on a GPU (or another device beside the CPU)
     * @throws IllegalArgumentException when {@code sizes} is empty
     */
    public static Kept choose(List<Candidate> sizes, List<Candidate> threads, boolean accelerator) {
        Candidate batch = batchSize(sizes, accelerator);
        Candidate kept = batch;
        for (Candidate c : threads) {
            if (c.batchSize() != batch.batchSize() || c.threads() <= kept.threads()) {
                continue;
            }
            boolean faster = c.itemsPerSecond() >= THREAD_GAIN * kept.itemsPerSecond();
            boolean noDearer = accelerator || !byCpu(List.of(c, kept))
                    || c.cpuSecondsPerItem() <= THREAD_CPU_RISE * kept.cpuSecondsPerItem();
            if (faster && noDearer) {
                kept = c;
            }
        }
        return new Kept(kept.batchSize(), kept.threads(), kept.itemsPerSecond());
    }

    /**
     * The one-caller candidate kept: on an accelerator the smallest batch within 5% of the most items
     * per second; on the CPU the smallest whose item cost no larger batch beats by 25%.
     */
    public static Candidate batchSize(List<Candidate> sizes, boolean accelerator) {
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("no batch size was timed");
        }
        if (accelerator) {
            double best = sizes.stream().mapToDouble(Candidate::itemsPerSecond).max().orElseThrow();
            for (Candidate c : sizes) {
                if (c.itemsPerSecond() * ACCELERATOR_BATCH_GAIN >= best) {
                    return c;
                }
            }
            return sizes.get(sizes.size() - 1);
        }
        // CPU: walk up from the smallest; a larger batch replaces the one kept only for a 25% cheaper item.
        boolean byCpu = byCpu(sizes);
        Candidate kept = sizes.get(0);
        for (Candidate c : sizes) {
            if (c.batchSize() > kept.batchSize() && kept.cost(byCpu) >= CPU_BATCH_GAIN * c.cost(byCpu)) {
                kept = c;
            }
        }
        return kept;
    }
}
