package io.imageworker.bench;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import io.imageworker.models.LoadedModel;
import io.imageworker.models.ModelLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 1. The engine's limit: the default classifier's forward pass alone in this process
 * ({@link EngineBench}), at each batch size for the table and at the worker's max batch whenever
 * another measure needs the engine's figure from the same minutes. The model is loaded once, on
 * first use, and closed with this.
 */
final class EngineMeasure extends Measure implements AutoCloseable {

    /** One input of the default classifier (C, H, W). */
    private static final Shape CLASSIFY_INPUT = new Shape(1, 28, 28);

    private final Path classifierDir;
    private final Device engineDevice;
    /** The default classifier, loaded on first use; closed by {@link #close}. */
    private LoadedModel engineModel;

    EngineMeasure(BenchHarness harness, Path classifierDir, Device engineDevice) {
        super(harness);
        this.classifierDir = classifierDir;
        this.engineDevice = engineDevice;
    }

    /** 1. The engine's limit: the classifier's forward pass alone at each batch size, images/s. */
    Map<Integer, Double> limits() throws Exception {
        Map<Integer, Double> engine = new LinkedHashMap<>();
        int[] sizes = {1, 8, 32, 64, 128, 256};
        // one unmeasured pass over every size first: the engine's memory pool and the JIT of the call path
        // take seconds of calls to settle, and a worker that has served a while has them settled too
        for (int bs : sizes) {
            engineRate(bs, 0.5, 1);
        }
        for (int bs : sizes) {
            engine.put(bs, engineRate(bs, quick ? 0.5 : 0.75, repeats));
            row(ENGINE, "engine", "classify forward pass alone, batch " + bs, fmt(engine.get(bs)) + " img/s", "");
        }
        return engine;
    }

    /** The default classifier's forward pass alone at {@code batchSize} in this process (see {@link EngineBench}). */
    private double engineRate(int batchSize, double seconds, int reps) throws Exception {
        return measure(batchSize, seconds, reps).imagesPerSecond();
    }

    /** {@link #engineRate} with the CPU time per image (see {@link EngineBench#measure}). */
    EngineBench.Rate measure(int batchSize, double seconds, int reps) throws Exception {
        if (engineModel == null) {
            engineModel = ModelLoader.load(classifierDir, engineDevice);
        }
        return EngineBench.measure(engineModel, CLASSIFY_INPUT, batchSize, seconds, reps, engineDevice);
    }

    @Override
    public void close() {
        if (engineModel != null) {
            engineModel.close();
        }
    }
}
