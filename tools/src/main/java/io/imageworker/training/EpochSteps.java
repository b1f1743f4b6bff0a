package io.imageworker.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;

/**
 * One epoch of supervised steps on batches made on the fly (generated scenes, canvases): each
 * step fills the batch, runs forward, the trainer's loss on the net's first output, backward and
 * one optimiser step, in its own NDManager; the mean loss of each stretch of steps is logged.
 */
public final class EpochSteps {

    /** Writes the next batch into the features and labels arrays. */
    @FunctionalInterface
    public interface Filler {
        /**
         * Overwrites {@code x} and {@code y} with the next batch; the same arrays come back every
         * step.
         *
         * @param x features, {@code xShape.size()} values laid out as {@code xShape} (row-major)
         * @param y labels, {@code yShape.size()} values laid out as {@code yShape}
         */
        void fill(float[] x, float[] y);
    }

    private EpochSteps() {}

    /** Runs {@code steps} steps; returns their mean loss. */
    public static double run(Trainer trainer, String name, int epoch, int steps, Shape xShape, Shape yShape, Filler next,
            TrainingLog log) {
        float[] x = new float[(int) xShape.size()];
        float[] y = new float[(int) yShape.size()];
        int logEvery = Math.max(1, Math.min(100, steps / 4));
        double lossSum = 0;
        double stretchSum = 0;
        int stretch = 0;
        long t0 = System.nanoTime();
        for (int step = 0; step < steps; step++) {
            next.fill(x, y);
            try (NDManager batch = trainer.getManager().newSubManager()) {
                NDArray features = batch.create(x, xShape);
                NDArray labels = batch.create(y, yShape);
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDList out = trainer.forward(new NDList(features));
                    NDArray loss = trainer.getLoss().evaluate(new NDList(labels), new NDList(out.get(0)));
                    gc.backward(loss);
                    float v = loss.getFloat();
                    lossSum += v;
                    stretchSum += v;
                    stretch++;
                }
                trainer.step();
            }
            if (stretch == logEvery) {
                log.line(String.format("%s epoch %d step %d/%d: loss %.4f, %.0f ms/step", name, epoch, step + 1, steps,
                        stretchSum / stretch, (System.nanoTime() - t0) / 1e6 / (step + 1)));
                stretchSum = 0;
                stretch = 0;
            }
        }
        return lossSum / steps;
    }
}
