package io.imageworker.training;

import ai.djl.training.tracker.Tracker;

/**
 * The material's learning-rate schedule: {@code end + (start - end) * exp(-step / decaySteps)}, so
 * the rate falls smoothly from {@code start} towards {@code end} (0.003 -> 0.0001 in the ladder).
 *
 * @param start rate at step 0
 * @param end rate approached asymptotically
 * @param decaySteps steps over which the excess over {@code end} shrinks by a factor e
 */
public record ExponentialDecay(float start, float end, float decaySteps) implements Tracker {

    /** A constant rate. */
    public static ExponentialDecay fixed(float rate) {
        return new ExponentialDecay(rate, rate, 1);
    }

    @Override
    public float getNewValue(int numUpdate) {
        return end + (start - end) * (float) Math.exp(-numUpdate / decaySteps);
    }
}
