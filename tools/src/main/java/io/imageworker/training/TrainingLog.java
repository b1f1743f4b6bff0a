package io.imageworker.training;

import java.util.ArrayList;
import java.util.List;

/** Progress lines of a training run, and the losses it saw (tests assert that they fall). */
public class TrainingLog {

    private final List<Double> losses = new ArrayList<>();
    private final boolean echo;

    /**
     * @param echo whether {@link #line} prints to standard output (false in tests: losses are still
     *     kept)
     */
    public TrainingLog(boolean echo) {
        this.echo = echo;
    }

    /**
     * Prints one progress line to standard output (flushed at once) when echoing; otherwise drops
     * it.
     */
    public void line(String text) {
        if (echo) {
            System.out.println(text);
            System.out.flush();
        }
    }

    /** Records the mean loss of a stretch of steps (an epoch or a log interval). */
    public synchronized void loss(double value) {
        losses.add(value);
    }

    /** The mean losses recorded so far, oldest first (an immutable copy). */
    public synchronized List<Double> losses() {
        return List.copyOf(losses);
    }
}
