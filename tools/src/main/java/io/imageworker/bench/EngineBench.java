package io.imageworker.bench;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.imageworker.models.LoadedModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's own limit: a model's forward pass alone on inputs already stacked in native memory,
 * the output copied back to the JVM (as the worker must), at one batch size. Nothing else runs.
 */
final class EngineBench {

    /** Passes a pre-stacked batch through and copies the output out. */
    private static final class ForwardOnly implements Translator<NDList, float[]> {
        @Override
        public NDList processInput(TranslatorContext ctx, NDList input) {
            return input;
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            return list.get(0).toFloatArray();
        }

        @Override
        public Batchifier getBatchifier() {
            return null;
        }
    }

    private EngineBench() {}

    /**
     * The engine alone at one batch size: its wall rate (images/s, median of the timings) and the
     * CPU time this process spent per image over the measured timings (ms; process CPU time, all
     * threads, so an engine that uses several cores counts each). CPU time rather than wall time
     * x cores answers "what does the model cost" on a shared machine: when other work takes cores,
     * the wall rate drops, the CPU per image does not.
     */
    record Rate(double imagesPerSecond, double cpuMsPerImage) {}

    /**
     * The engine at {@code batchSize}: the median of {@code repeats} timings of at least {@code seconds}
     * each, after one such timing unmeasured (to warm up); time-boxed rather than a fixed count, so that
     * batch 1 costs no more bench time than batch 256.
     *
     * @param shape one item's input shape (C, H, W)
     */
    static Rate measure(LoadedModel model, Shape shape, int batchSize, double seconds, int repeats, Device device)
            throws Exception {
        long box = (long) (seconds * 1e9);
        List<Double> rates = new ArrayList<>();
        long cpuNanos = 0;
        long images = 0;
        try (NDManager manager = NDManager.newBaseManager(device);
                Predictor<NDList, float[]> predictor = model.newPredictor(new ForwardOnly())) {
            NDArray x = manager.randomUniform(0, 1, new Shape(batchSize, shape.get(0), shape.get(1), shape.get(2)));
            NDList input = new NDList(x);
            for (int r = -1; r < repeats; r++) { // the first box warms up (JIT, the engine's buffers), unmeasured
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                long took;
                int calls = 0;
                do {
                    predictor.predict(input);
                    calls++;
                    took = System.nanoTime() - t0;
                } while (took < box);
                if (r >= 0) {
                    rates.add(calls * batchSize / (took / 1e9));
                    cpuNanos += processCpuNanos() - cpu0;
                    images += (long) calls * batchSize;
                }
            }
        }
        return new Rate(Stats.median(rates), images == 0 ? Double.NaN : cpuNanos / 1e6 / images);
    }

    /** CPU time of this process so far, all threads (ns), as the OS accounts it. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
