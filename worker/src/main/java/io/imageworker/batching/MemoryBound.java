package io.imageworker.batching;

import java.util.Map;

/**
 * The warm-up's native memory against its budget: growth of {@link NativeMemory#heldBytes()}
 * since {@code base}, read after each candidate, and extrapolated linearly in the batch size
 * from the last two sizes (from the first alone: proportional) to skip a size before it runs.
 */
final class MemoryBound {
    private final long budget;
    private final long base;
    private final Map<String, Long> history = new java.util.LinkedHashMap<>();
    private int b1;
    private long f1 = -1;
    private int b2;
    private long f2 = -1;
    private long last = -1;

    MemoryBound(long budget, long base) {
        this.budget = budget;
        this.base = base;
    }

    /** True when batch size {@code b}'s growth, extrapolated from the sizes measured, passes the budget. */
    boolean predictedOver(int b) {
        return budget > 0 && predicted(b) > budget;
    }

    /** The growth expected at batch size {@code b}, in bytes; 0 with nothing measured. */
    long predicted(int b) {
        if (f2 < 0) {
            return 0;
        }
        if (f1 < 0 || b2 == b1) {
            return f2 * b / Math.max(1, b2);
        }
        double slope = Math.max(0, (double) (f2 - f1) / (b2 - b1));
        return f2 + Math.round(slope * (b - b2));
    }

    /**
     * Reads the growth after batch size {@code b} ran (negative: {@code -b} threads at the chosen
     * size, not a batch size); true when it passes the budget.
     */
    boolean measuredOver(int b) {
        return record(b, base < 0 ? -1 : NativeMemory.heldBytes() - base);
    }

    boolean record(int b, long growth) {
        last = growth;
        if (growth < 0) {
            return false;
        }
        history.put(b < 0 ? "t" + -b : "b" + b, growth >> 20);
        if (b > 0) {
            b1 = b2;
            f1 = f2;
            b2 = b;
            f2 = growth;
        }
        return budget > 0 && growth > budget;
    }

    long last() {
        return last;
    }

    Map<String, Long> history() {
        return history;
    }
}
