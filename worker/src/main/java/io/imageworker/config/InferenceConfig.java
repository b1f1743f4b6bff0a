package io.imageworker.config;

import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/** Where models run. */
public interface InferenceConfig {
    /**
     * {@code auto}, {@code cpu}, or {@code gpu:N} ({@code gpu} = {@code gpu:0}), chosen per engine at
     * start: ONNX models run on the GPU when ONNX Runtime's CUDA provider can (the GPU build),
     * MXNet models when the MXNet engine sees a GPU (a CUDA libmxnet). {@code auto} falls back to
     * the CPU with a logged reason; an explicit {@code gpu:N} stops the start when ONNX Runtime
     * cannot use that GPU, and leaves MXNet models on the CPU (logged) when MXNet sees none.
     */
    @WithDefault("auto")
    String device();

    /** Per-model overrides of the device, keyed by model name. */
    Map<String, ModelInference> perModel();

    /** Device override for one model. */
    interface ModelInference {
        /**
         * {@code auto}, {@code cpu} or {@code gpu:N} for this model; unset: the engine's choice from
         * {@code image-worker.inference.device}. An explicit GPU that the model's engine cannot
         * use fails the model's load.
         */
        Optional<String> device();

        /**
         * Which form of a model that ships both (a {@code djl-block} card with its exported
         * {@code <weights>.onnx} beside the parameters) serves: {@code mxnet}, {@code onnx} (ONNX
         * Runtime, on this model's ONNX device), or {@code auto}: the ONNX form when ONNX Runtime
         * has a GPU for it and MXNet has none (image inputs; the generator stays on MXNet), else MXNet (on the CPU MXNet measured faster for
         * mnist-cnn-bn, docs/models.md). Unset: {@code auto}.
         */
        Optional<String> engine();
    }

    /**
     * Threads one ONNX Runtime call uses inside the engine (its intra-op pool). 1: on small CPUs
     * two callers with one thread each serve more than one caller with two (field notes,
     * measured on PP-OCRv4 and BlazeFace); the number of callers is measured at warm-up.
     */
    @WithDefault("1")
    int onnxIntraOpThreads();

    /**
     * ONNX Runtime's CPU memory arena. Off: the arena keeps the most memory any call used, in
     * powers of two, for the session's life (the text detector's first call alone left 439 MiB
     * held); without it, memory follows the calls. See docs/memory.md.
     */
    @WithDefault("false")
    boolean onnxCpuArena();
}
