package io.imageworker.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Dynamic batching, per model unless overridden in {@code per-model}. */
public interface BatchingConfig {
    /** Largest batch. */
    @WithDefault("64")
    int maxBatchSize();

    /** How long the first item of a batch may wait for more to arrive. */
    @WithDefault("5ms")
    Duration maxQueueDelay();

    /**
     * Time each model at warm-up and keep what serves the most items per second: batch sizes 1,
     * 2, 4 ... up to its largest batch (the smallest within 5% of the best is kept), then 2 ...
     * {@code max-inference-threads} threads for models whose engine takes concurrent calls (ONNX
     * Runtime). The choice is logged and exported as metrics. False: batches up to the largest
     * batch on one thread.
     */
    @WithDefault("true")
    boolean measure();

    /**
     * Most threads calling one ONNX model at once, each with its own predictor; unset: the
     * number of CPUs, at most 4. With {@code measure=false}, the number of threads that serve
     * each ONNX model (unset: 1). The project's MXNet models always have one.
     */
    Optional<Integer> maxInferenceThreads();

    /**
     * Most native memory one model's warm-up may leave held (its arrays, the engine's pools and
     * caches at the batch sizes it ran; the weights are not counted): the batch-size search
     * does not try a size whose memory, extrapolated from the smaller ones, passes it. Batch 1
     * is always served. 0: no bound. The default keeps every default model of a worker within
     * the chart's memory limit (docs/memory.md).
     */
    @WithDefault("128M")
    io.quarkus.runtime.configuration.MemorySize maxModelMemory();

    /**
     * Folder where each model's warm-up choice (batch size, threads) is kept between starts and
     * reused while its key holds: the model's files (sha256), engine, device, CPU model, cores,
     * engine threads and these settings; anything else is measured afresh. Unset: the models'
     * cache folder's {@code warm-up-choices}; {@code none}: measure at every start.
     */
    Optional<String> choicesDir();

    /** Per-model overrides of the batch size and queue delay, and of ONNX intra-op threads, keyed by model name. */
    Map<String, ModelBatching> perModel();

    /** Batching settings for one model. */
    interface ModelBatching {
        /**
         * Largest batch for this model; unset: {@code image-worker.batching.max-batch-size}.
         */
        Optional<Integer> maxBatchSize();

        /**
         * How long this model's first item of a batch may wait for more; unset:
         * {@code image-worker.batching.max-queue-delay}.
         */
        Optional<Duration> maxQueueDelay();

        /**
         * Threads inside one ONNX Runtime call of this model (its intra-op pool); unset:
         * {@code image-worker.inference.onnx-intra-op-threads}.
         */
        Optional<Integer> onnxIntraOpThreads();

        /** This model's {@code image-worker.batching.max-model-memory}. */
        Optional<io.quarkus.runtime.configuration.MemorySize> maxModelMemory();
    }
}
