package io.imageworker.inference;

import org.awaitility.Awaitility;
import static org.assertj.core.api.Assertions.assertThat;

import io.imageworker.testing.LocalStack;
import io.imageworker.testing.WorkerProcess;
import io.imageworker.testing.WorkerTopics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged worker asked for a GPU that ONNX Runtime cannot use (this machine has no GPU and no
 * CUDA libraries; the default build has the CPU ONNX Runtime): it must not fall back to the CPU
 * silently, nor report ready; it exits non-zero saying what is missing and how to fix it. With
 * {@code auto} the same worker starts on the CPU and logs why.
 */
class GpuStartIT {

    @Test
    void anExplicitGpuWithoutCudaStopsTheStartWithTheReason() throws Exception {
        LocalStack stack = LocalStack.shared();
        Map<String, String> env = env(stack, "gpu-start", "gpu:0", "text");
        try (WorkerProcess w = WorkerProcess.launch(stack, "gpu-start", env)) {
            Awaitility.await("a worker that cannot use the GPU it was asked for exits").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200)).until(() -> !w.alive());
            assertThat(w.terminate(Duration.ofSeconds(1))).isNotZero();
            String log = w.log();
            assertThat(log).contains("image-worker could not start")
                    .contains("image-worker.inference.device=gpu:0 but ONNX models cannot run on gpu:0");
            // The default build: the CPU jar. A -Pgpu build on this machine names the libraries instead.
            assertThat(log).containsAnyOf("no CUDA execution provider", "cannot find: libcudart.so.12");
            assertThat(log).containsAnyOf("-Pgpu", "LD_LIBRARY_PATH");
            assertThat(log).doesNotContain("loaded model");
        }
    }

    @Test
    void autoStartsOnTheCpuAndSaysWhy() throws Exception {
        LocalStack stack = LocalStack.shared();
        Map<String, String> env = env(stack, "gpu-auto", "auto", "faces");
        try (WorkerProcess w = WorkerProcess.start(stack, "gpu-auto", env)) {
            assertThat(w.get("/q/health/ready")).contains("UP");
            String log = w.log();
            assertThat(log).contains("ONNX models run on the CPU: ").contains("MXNet models run on the CPU: ")
                    .contains("MXNet models on cpu(), ONNX models on cpu()");
        }
    }

    /** A worker's environment on topics of its own, asking for {@code device} and preloading one task's model. */
    private static Map<String, String> env(LocalStack stack, String name, String device, String preload) throws Exception {
        Map<String, String> env = new HashMap<>(WorkerTopics.create(stack, name, 1).env(Map.of()));
        env.put("IMAGE_WORKER_INFERENCE_DEVICE", device);
        env.put("IMAGE_WORKER_MODELS_PRELOAD", preload);
        return env;
    }
}
