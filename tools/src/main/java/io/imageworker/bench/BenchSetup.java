package io.imageworker.bench;

import io.imageworker.models.ModelRepository;
import io.imageworker.storage.ObjectStore;
import java.util.List;
import java.util.Map;

/**
 * What every measurement shares: the uploaded digits, the model repository, the device the
 * workers use, and the engine's rates by batch size (measured first).
 *
 * @param store the object store the workers read
 * @param digits URIs of MNIST test digits uploaded as 28x28 PNGs
 * @param repo the built-in models
 * @param workerDevice the workers' {@code IMAGE_WORKER_INFERENCE_DEVICE}
 * @param engine the classifier's forward pass alone by batch size, images per second
 * @param maxBatch the workers' max batch size
 * @param machine the line describing this machine, printed above the table
 */
record BenchSetup(ObjectStore store, List<String> digits, ModelRepository repo, String workerDevice,
        Map<Integer, Double> engine, int maxBatch, String machine) {

    /** The engine's best rate over the batch sizes, images per second. */
    double engineBest() {
        return engine.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
    }

    /** The environment of a worker as deployed. */
    Map<String, String> deployed() {
        return Map.of("IMAGE_WORKER_INFERENCE_DEVICE", workerDevice);
    }
}
