package io.imageworker.training;

import ai.djl.Device;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
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

    /** A CPU training config minimising {@code loss} with Adam (default betas) at this rate. */
    public DefaultTrainingConfig adam(Loss loss) {
        return adam(loss, 0.9f);
    }

    /**
     * A CPU training config minimising {@code loss} with Adam at this rate and first-moment decay
     * {@code beta1} (0.9 by default; 0.5 for DCGAN, Radford et al. 2015).
     */
    public DefaultTrainingConfig adam(Loss loss, float beta1) {
        return new DefaultTrainingConfig(loss)
                .optOptimizer(Optimizer.adam().optLearningRateTracker(this).optBeta1(beta1).build())
                .optDevices(new Device[] {Device.cpu()});
    }

    @Override
    public float getNewValue(int numUpdate) {
        return end + (start - end) * (float) Math.exp(-numUpdate / decaySteps);
    }
}
